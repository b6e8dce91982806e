package dev.supaneon.core.progress;

/** The steps of a run, in the order they happen, with the words used in logs and reports. */
public enum Phase {
  PREFLIGHT("preflight"),
  COMPARE("compare with the newest backup"),
  CONFIRM("confirm current"),
  PRUNE("make room"),
  CREATE_BRANCH("create branch"),
  PREPARE_TARGET("prepare target database"),
  PREPARE_ROLES_AND_EXTENSIONS("prepare roles and extensions"),
  SNAPSHOT("export snapshot"),
  COPY("copy"),
  VERIFY("verify"),
  MANIFEST("write manifest"),
  FINALIZE("mark verified"),
  SUSPEND("suspend compute"),
  STANDBY("refresh standby"),
  RETENTION("retention"),
  SELECT_BACKUP("select backup"),
  CREATE_TEST_BRANCH("create test branch"),
  SMOKE_CHECKS("smoke checks"),
  ASSERTIONS("assertions"),
  LOGICAL_RESTORE("logical restore"),
  CLEANUP("clean up"),
  READ_PROJECT("read project"),
  PROMOTE("promote"),
  START_COMPUTE("start compute");

  private final String label;

  Phase(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
