import groovy.json.JsonSlurper

def test = new JsonSlurper().parse(new File(basedir, 'target/supaneon/restore-test-report.json'))
def url = "${neonApiUrl}/projects/${neonProjectId}/branches/${test.test_branch_id}"
try {
  def log = new File(basedir, 'build.log').text
  assert log.contains('BUILD FAILURE')
  assert log.contains('supaneon restore-test failed')
  assert log.contains('backup age')
  assert test.outcome == 'failed'
  assert test.test_branch_kept
  // The kept branch is there, without expiry.
  def get = new URL(url).openConnection()
  get.setRequestProperty('Authorization', "Bearer ${neonApiKey}")
  def branch = new JsonSlurper().parse(get.inputStream).branch
  assert branch.expires_at == null
} finally {
  // Whatever the asserts found, the project keeps room for the other ITs.
  if (test.test_branch_id) {
    def delete = new URL(url).openConnection()
    delete.requestMethod = 'DELETE'
    delete.setRequestProperty('Authorization', "Bearer ${neonApiKey}")
    assert delete.responseCode in [200, 404]
  }
}
return true
