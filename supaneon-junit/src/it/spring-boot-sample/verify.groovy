import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').text
assert log.contains('Tests run: 4, Failures: 0, Errors: 0, Skipped: 0') : 'four tests ran and passed'
def runs = new File(basedir, 'target/spring-runs.txt').readLines().findAll { it }.collect { it.split(' ') }.collectEntries { [(it[0]): it[1]] }
assert runs.size() == 4 : "every test recorded its branch: ${runs}"
assert runs['CustomersTest'] == runs['CustomerCountTest'] : "same configuration, same context, same branch: ${runs}"
assert runs['CustomersTest.WhenNested'] == runs['CustomersTest'] : "the @Nested class shares its class's branch: ${runs}"
assert runs['UnmaskedTest'] != runs['CustomersTest'] : "another configuration gets its own branch: ${runs}"
def connection = new URL("${neonApiUrl}/projects/${neonProjectId}/branches").openConnection()
connection.setRequestProperty('Authorization', "Bearer ${neonApiKey}")
def names = new JsonSlurper().parse(connection.inputStream).branches*.name
assert !names.any { it.startsWith('supaneon-test-') } : "test branches left behind when the contexts closed: ${names}"
assert !log.contains(canaryApiKey)
return true
