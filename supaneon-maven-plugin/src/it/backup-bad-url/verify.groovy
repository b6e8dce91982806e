def log = new File(basedir, 'build.log').text
assert log.contains('BUILD FAILURE')
assert log.contains('SUPABASE_DATABASE_URL (supaneon.sourceUrl)')
assert log.contains('sslmode=require')
assert !log.contains('BadUrlSecret-42') : 'the password in the rejected URL was echoed'
assert !log.contains('[create branch]') : 'nothing was created'
return true
