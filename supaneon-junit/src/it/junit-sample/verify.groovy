import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').text
assert log.count('Tests run: 3, Failures: 0, Errors: 0, Skipped: 0') >= 2
def runs = new File(basedir, 'target/runs.txt').readLines().findAll { it }.collect { it.split(' ') }
assert runs*.getAt(0).toSet() == ['5.13.4', '6.0.1'] as Set : "ran on both JUnit versions: ${runs}"
assert runs.size() == 6 && runs*.getAt(1).toSet().size() == 6 : "six tests, six distinct branches: ${runs}"
def connection = new URL("${neonApiUrl}/projects/${neonProjectId}/branches").openConnection()
connection.setRequestProperty('Authorization', "Bearer ${neonApiKey}")
def names = new JsonSlurper().parse(connection.inputStream).branches*.name
assert !names.any { it.startsWith('supaneon-test-') } : "test branches left behind: ${names}"
assert !log.contains(canaryApiKey)
return true
