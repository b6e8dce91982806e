import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').text
assert log.contains('supaneon: verified: Verified backup backup-')
assert !log.contains('process list') : 'no warning: the key came from settings.xml'
def report = new JsonSlurper().parse(new File(basedir, 'target/backup-reports/backup-report.json'))
assert report.outcome == 'verified'
// The pom's policy was applied: the new backup is kept as the newest, and anything deleted went
// for the policy's sake.
assert report.retention.any { it.branch_name == report.branch_name && it.action == 'kept' } : report.retention
assert report.retention.every { it.action != 'deleted' || it.reason.contains('retention policy (daily 2, weekly 1, monthly 1)') } : report.retention
assert !log.contains(canaryPassword) && !log.contains(canaryApiKey)
return true
