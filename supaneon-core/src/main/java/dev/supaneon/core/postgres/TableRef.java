package dev.supaneon.core.postgres;

/** A table by schema and name. */
public record TableRef(String schema, String name) implements Comparable<TableRef> {

  /** The table as a quoted SQL identifier: {@code "schema"."name"}. */
  public String quoted() {
    return Identifiers.quote(schema) + "." + Identifiers.quote(name);
  }

  /** {@code schema.name} for humans and reports. */
  public String displayName() {
    return schema + "." + name;
  }

  @Override
  public int compareTo(TableRef other) {
    int bySchema = schema.compareTo(other.schema);
    return bySchema != 0 ? bySchema : name.compareTo(other.name);
  }

  @Override
  public String toString() {
    return displayName();
  }
}
