import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').text
assert log.contains('supaneon: verified: Verified backup')
assert !log.contains('pg_restore:') : 'zero pg_restore messages'
def report = new JsonSlurper().parse(new File(basedir, 'target/supaneon/backup-report.json'))
assert report.outcome == 'verified'
assert report.schemas.containsAll(['auth', 'public', 'storage', 'supabase_migrations'])
def leftOut = report.left_out.collect { "${it.kind}:${it.name}" as String }
['schema:realtime', 'schema:graphql', 'schema:vault', 'event trigger:issue_pg_cron_access',
 'publication:supabase_realtime', 'table data:auth.sessions', 'table data:auth.refresh_tokens',
 'table data:auth.audit_log_entries'].each { assert leftOut.contains(it) : "${it} listed as left out" }
assert report.left_out.every { it.reason }
// Roles are created on the first run against a target (core's SupabaseFidelityTest checks that).
def summary = new File(basedir, 'target/supaneon/backup-report.md').text
assert summary.contains('### Left out')
def test = new JsonSlurper().parse(new File(basedir, 'target/supaneon/restore-test-report.json'))
assert test.outcome == 'passed'
assert !log.contains(canaryPassword) && !log.contains(canaryApiKey)
return true
