import groovy.json.JsonSlurper

def test = new JsonSlurper().parse(new File(basedir, 'target/supaneon/restore-test-report.json'))
assert test.outcome == 'passed'
assert test.mode == 'logical'
assert test.logical_archive_bytes > 0
assert test.checks.find { it.name.startsWith('logical restore') }.passed
return true
