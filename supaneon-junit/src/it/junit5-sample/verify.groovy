import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').text
assert log.contains('Tests run: 3, Failures: 0, Errors: 0, Skipped: 0')
def branches = new File(basedir, 'target/branches.txt').readLines().findAll { it }
assert branches.size() == 3 && branches.toSet().size() == 3 : "three distinct branches: ${branches}"
def connection = new URL("${neonApiUrl}/projects/${neonProjectId}/branches").openConnection()
connection.setRequestProperty('Authorization', "Bearer ${neonApiKey}")
def names = new JsonSlurper().parse(connection.inputStream).branches*.name
assert !names.any { it.startsWith('supaneon-test-') } : "test branches left behind: ${names}"
assert !log.contains(canaryApiKey)
return true
