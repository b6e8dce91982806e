import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').text
assert log.contains('supaneon: verified: Verified backup backup-')
assert !log.contains('process list') : 'no warning: the key came from settings.xml'
def report = new JsonSlurper().parse(new File(basedir, 'target/backup-reports/backup-report.json'))
assert report.outcome == 'verified'
assert report.retention.every { it.action != 'deleted' || it.reason.contains('retention policy') }
assert !log.contains(canaryPassword) && !log.contains(canaryApiKey)
return true
