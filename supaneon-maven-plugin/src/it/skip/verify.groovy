def log = new File(basedir, 'build.log').text
assert log.contains('supaneon: skipped (supaneon.skip=true)')
assert !log.contains('[preflight]')
return true
