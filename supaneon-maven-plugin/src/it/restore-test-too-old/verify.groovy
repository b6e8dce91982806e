import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').text
assert log.contains('BUILD FAILURE')
assert log.contains('supaneon restore-test failed')
assert log.contains('backup age')
def test = new JsonSlurper().parse(new File(basedir, 'target/supaneon/restore-test-report.json'))
assert test.outcome == 'failed'
assert test.test_branch_kept

// The kept branch is there, without expiry; delete it so the project keeps room.
def url = "${neonApiUrl}/projects/${neonProjectId}/branches/${test.test_branch_id}"
def get = new URL(url).openConnection()
get.setRequestProperty('Authorization', "Bearer ${neonApiKey}")
def branch = new JsonSlurper().parse(get.inputStream).branch
assert branch.expires_at == null
def delete = new URL(url).openConnection()
delete.requestMethod = 'DELETE'
delete.setRequestProperty('Authorization', "Bearer ${neonApiKey}")
assert delete.responseCode == 200
return true
