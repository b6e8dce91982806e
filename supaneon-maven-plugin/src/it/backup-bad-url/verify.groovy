def log = new File(basedir, 'build.log').text
assert log.contains('BUILD FAILURE')
assert log.contains('SUPABASE_DATABASE_URL (supaneon.sourceUrl)')
assert log.contains('sslmode=require')
assert log.contains('What to do: Correct SUPABASE_DATABASE_URL (supaneon.sourceUrl)') : 'the typed failure keeps its suggestion'
assert !log.contains('BadUrlSecret-42') : 'the password in the rejected URL was echoed'
assert !log.contains('[create branch]') : 'nothing was created'
assert log.contains('the Neon API key came from a Maven parameter; a -D property is visible in the process list')
assert !log.contains('DashDKey-7') : 'the -D API key was echoed'
return true
