def log = new File(basedir, 'build.log').text
assert log.contains('BUILD SUCCESS')
['backup', 'restore-test', 'status', 'promote', 'restore', 'help'].each { goal ->
  assert log.contains("supaneon:${goal}\n") || log.contains("supaneon:${goal}\r\n") : "goal ${goal} is listed"
}
// Parameters are listed with their user properties, for example:
['supaneon.sourceUrl', 'supaneon.neonProjectId', 'supaneon.skip', 'supaneon.keepDaily'].each { property ->
  assert log.contains("User property: ${property}") : "${property} is listed"
}
return true
