import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').text
assert log.contains('supaneon: dry-run: Dry run: nothing was created or deleted')
assert !log.contains('[create branch]')
def report = new JsonSlurper().parse(new File(basedir, 'target/supaneon/backup-report.json'))
assert report.outcome == 'dry-run'
return true
