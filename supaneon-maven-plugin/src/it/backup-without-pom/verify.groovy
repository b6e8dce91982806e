import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').text
assert log.contains('[preflight] started')
assert log.contains('[copy] done')
assert log.contains('[verify] done')
assert log =~ /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \[mark verified\] done/
assert log.contains('supaneon: verified: Verified backup backup-')
assert !log.contains(canaryPassword) : 'the source password leaked into the log'
assert !log.contains(canaryApiKey) : 'the API key leaked into the log'

def report = new JsonSlurper().parse(new File(basedir, 'target/supaneon/backup-report.json'))
assert report.outcome == 'verified'
assert report.verification == 'passed'
assert report.table_count == 6
assert report.archive_sha256 ==~ /[0-9a-f]{64}/
def reportText = new File(basedir, 'target/supaneon/backup-report.json').text + new File(basedir, 'target/supaneon/backup-report.md').text
assert !reportText.contains(canaryPassword) && !reportText.contains(canaryApiKey)

// The branch really is a verified backup on neon-local: named backup-<UTC>, no expiry.
def connection = new URL("${neonApiUrl}/projects/${neonProjectId}/branches/${report.branch_id}").openConnection()
connection.setRequestProperty('Authorization', "Bearer ${neonApiKey}")
def branch = new JsonSlurper().parse(connection.inputStream).branch
assert branch.name == report.branch_name
assert branch.name ==~ /backup-\d{8}T\d{6}Z/
assert branch.expires_at == null
return true
