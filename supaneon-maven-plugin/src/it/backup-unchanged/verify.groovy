import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').text
assert log.contains('[compare with the newest backup] done')
assert log.contains('[confirm current] done')
def outcomes = log.readLines().findAll { it.contains('supaneon: ') && it =~ /supaneon: (verified|confirmed-current): / }
assert outcomes.size() == 2 : outcomes
assert outcomes[1].contains('supaneon: confirmed-current: The source equals verified backup backup-')
assert !log.contains(canaryPassword) : 'the source password leaked into the log'

def report = new JsonSlurper().parse(new File(basedir, 'target/supaneon/backup-report.json'))
assert report.outcome == 'confirmed-current'
assert report.archive_bytes == 0
assert report.branch_name ==~ /backup-\d{8}T\d{6}Z/
assert !report.phases.any { it.phase == 'copy' || it.phase == 'create branch' }
return true
