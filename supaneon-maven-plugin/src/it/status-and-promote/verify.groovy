import groovy.json.JsonSlurper

// The same project runs on two Maven versions against one neon-local project: the first run
// creates the standby and promotes it; the second finds it promoted and leaves it alone.
def log = new File(basedir, 'build.log').text
assert log.contains('supaneon: verified: Verified backup')
def backup = new JsonSlurper().parse(new File(basedir, 'target/supaneon/backup-report.json'))
if (backup.standby.action == 'left alone: promoted') {
  assert backup.standby.branch_name.startsWith('it-failover-promoted-')
} else {
  assert backup.standby.action == 'created'
  assert backup.standby.branch_name == 'it-failover'
  assert backup.standby.holds_backup == backup.branch_name
}

def status = new JsonSlurper().parse(new File(basedir, 'target/supaneon/status.json'))
assert !status.stale
assert status.backups*.name.contains(backup.branch_name)
assert status.standby.name.startsWith('it-failover')
assert status.standby.holds_backup ==~ /backup-\d{8}T\d{6}Z/

def promote = new JsonSlurper().parse(new File(basedir, 'target/supaneon/promote-report.json'))
assert promote.branch_name.startsWith('it-failover-promoted-')
assert promote.already_promoted : 'the second promote found it promoted and changed nothing'
assert promote.database_url == backup.standby.connection_string : 'the failover URL is the standby URL the backup reported'
assert log.contains('supaneon: DATABASE_URL=' + promote.database_url)
assert !log.contains(canaryPassword) && !log.contains(canaryApiKey)
return true
