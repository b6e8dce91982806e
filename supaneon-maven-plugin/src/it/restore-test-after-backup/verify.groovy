import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').text
assert log.contains('supaneon: verified: Verified backup')
assert log.contains('[smoke checks] done')
assert log.contains('supaneon: passed: Backup backup-')
def backup = new JsonSlurper().parse(new File(basedir, 'target/supaneon/backup-report.json'))
def test = new JsonSlurper().parse(new File(basedir, 'target/supaneon/restore-test-report.json'))
assert test.outcome == 'passed'
assert test.backup_branch_name == backup.branch_name
assert !test.test_branch_kept
assert test.checks.every { it.passed }

def connection = new URL("${neonApiUrl}/projects/${neonProjectId}/branches/${test.test_branch_id}").openConnection()
connection.setRequestProperty('Authorization', "Bearer ${neonApiKey}")
assert connection.responseCode == 404 : 'the test branch was deleted'
assert !log.contains(canaryPassword) && !log.contains(canaryApiKey)
return true
