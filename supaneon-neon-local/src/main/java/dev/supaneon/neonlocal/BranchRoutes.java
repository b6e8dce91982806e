package dev.supaneon.neonlocal;

import static dev.supaneon.neonlocal.ApiCalls.NODES;
import static dev.supaneon.neonlocal.ApiCalls.endpointSpec;
import static dev.supaneon.neonlocal.ApiCalls.object;
import static dev.supaneon.neonlocal.ApiCalls.ok;
import static dev.supaneon.neonlocal.ApiCalls.optionalText;
import static dev.supaneon.neonlocal.ApiCalls.optionalTime;
import static dev.supaneon.neonlocal.ApiCalls.parseTime;
import static dev.supaneon.neonlocal.ApiCalls.requiredText;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.supaneon.neonlocal.ApiCalls.Answer;
import dev.supaneon.neonlocal.ApiCalls.Call;
import dev.supaneon.neonlocal.controlplane.BranchRecord;
import dev.supaneon.neonlocal.controlplane.ComputeUsage;
import dev.supaneon.neonlocal.controlplane.ControlPlane;
import dev.supaneon.neonlocal.controlplane.NeonApiError;
import dev.supaneon.neonlocal.controlplane.Requests;
import dev.supaneon.neonlocal.controlplane.Requests.BranchChange;
import dev.supaneon.neonlocal.controlplane.Requests.CreatedBranch;
import dev.supaneon.neonlocal.controlplane.RoleRecord;
import dev.supaneon.neonlocal.controlplane.StorageModel;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The project and branch routes: list, count, create, get, update, delete, default, restore. */
final class BranchRoutes {

  private final ControlPlane controlPlane;
  private final String host;

  BranchRoutes(ControlPlane controlPlane, String host) {
    this.controlPlane = controlPlane;
    this.host = host;
  }

  void defineOn(Routes routes, String project, String branch) {
    routes.add("GET", project + "/branches", "listProjectBranches", this::listBranches);
    routes.add("POST", project + "/branches", "createProjectBranch", this::createBranch);
    routes.add(
        "GET",
        project + "/branches/count",
        "countProjectBranches",
        c ->
            ok(
                NODES
                    .objectNode()
                    .put(
                        "count",
                        controlPlane
                            .branchQueries()
                            .countBranches(c.param("project_id"), c.queryParam("search")))));
    routes.add(
        "GET",
        branch,
        "getProjectBranch",
        c -> {
          BranchRecord b =
              controlPlane.branchQueries().getBranch(c.param("project_id"), c.param("branch_id"));
          ObjectNode body =
              object(
                  "branch",
                  JsonViews.branch(
                      b,
                      Optional.of(controlPlane.storage().of(b.id())),
                      controlPlane
                          .computeUsage()
                          .byBranch()
                          .getOrDefault(b.id(), ComputeUsage.Usage.NONE)));
          body.set("annotation", JsonViews.annotation(b));
          return ok(body);
        });
    routes.add("PATCH", branch, "updateProjectBranch", this::updateBranch);
    routes.add(
        "DELETE",
        branch,
        "deleteProjectBranch",
        c -> {
          Optional<BranchChange> change =
              controlPlane.branches().deleteBranch(c.param("project_id"), c.param("branch_id"));
          return change.map(BranchRoutes::branchChange).orElse(new Answer(204, null));
        });
    routes.add(
        "POST",
        branch + "/set_as_default",
        "setDefaultProjectBranch",
        c ->
            branchChange(
                controlPlane.branches().setDefault(c.param("project_id"), c.param("branch_id"))));
    routes.add("POST", branch + "/restore", "restoreProjectBranch", this::restoreBranch);
    routes.add("GET", branch + "/schema", "getProjectBranchSchema", this::branchSchema);
    routes.add(
        "GET",
        branch + "/endpoints",
        "listProjectBranchEndpoints",
        c ->
            ok(
                object(
                    "endpoints",
                    JsonViews.endpoints(
                        controlPlane
                            .endpoints()
                            .listBranchEndpoints(c.param("project_id"), c.param("branch_id")),
                        host))));
  }

  private Answer listBranches(Call c) throws NeonApiError, SQLException {
    var page =
        controlPlane
            .branchQueries()
            .listBranches(
                c.param("project_id"),
                c.queryParam("search"),
                c.queryParam("sort_by"),
                c.queryParam("sort_order"),
                c.intParam("limit"),
                c.queryParam("cursor"));
    Map<String, StorageModel.BranchStorage> storage =
        controlPlane.storage().ofBranches(page.branches().stream().map(BranchRecord::id).toList());
    ObjectNode body =
        object(
            "branches",
            JsonViews.branches(page.branches(), storage, controlPlane.computeUsage().byBranch()));
    ObjectNode annotations = body.putObject("annotations");
    for (BranchRecord b : page.branches()) {
      if (!b.annotation().isEmpty()) {
        annotations.set(b.id(), JsonViews.annotation(b));
      }
    }
    ObjectNode pagination = body.putObject("pagination");
    page.nextCursor().ifPresent(next -> pagination.put("next", next));
    pagination.put("sort_by", page.sortBy()).put("sort_order", page.sortOrder());
    return ok(body);
  }

  private Answer createBranch(Call c) throws NeonApiError, SQLException {
    JsonNode branch = c.body().path("branch");
    List<Requests.EndpointSpec> endpoints = new ArrayList<>();
    for (JsonNode endpoint : c.body().path("endpoints")) {
      endpoints.add(endpointSpec(endpoint, "endpoints[]"));
    }
    Map<String, String> annotation = new HashMap<>();
    JsonNode value = c.body().path("annotation_value");
    for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      if (!entry.getValue().isTextual()) {
        throw new NeonApiError(400, "BAD_REQUEST", "annotation_value values must be strings");
      }
      annotation.put(entry.getKey(), entry.getValue().asText());
    }
    if (annotation.size() > 50) {
      throw new NeonApiError(400, "BAD_REQUEST", "annotation_value holds at most 50 entries");
    }
    CreatedBranch created =
        controlPlane
            .branches()
            .createBranch(
                c.param("project_id"),
                new Requests.CreateBranch(
                    optionalText(branch, "parent_id"),
                    optionalText(branch, "name"),
                    optionalTime(branch, "expires_at"),
                    branch.path("protected").asBoolean(false),
                    optionalText(branch, "parent_lsn"),
                    optionalTime(branch, "parent_timestamp"),
                    optionalText(branch, "init_source"),
                    endpoints,
                    annotation));
    ObjectNode body =
        object(
            "branch",
            JsonViews.branch(created.branch(), Optional.empty(), ComputeUsage.Usage.NONE));
    body.set("endpoints", JsonViews.endpoints(created.endpoints(), host));
    body.set("operations", JsonViews.operations(created.operations()));
    body.set("roles", JsonViews.roles(created.roles(), false));
    body.set("databases", JsonViews.databases(created.databases()));
    List<RoleRecord> loginRoles =
        created.roles().stream().filter(r -> r.password() != null).toList();
    if (!created.endpoints().isEmpty()
        && loginRoles.size() == 1
        && created.databases().size() == 1) {
      RoleRecord role = loginRoles.get(0);
      String database = created.databases().get(0).name();
      String uri =
          controlPlane
              .databasesAndRoles()
              .connectionUri(
                  c.param("project_id"),
                  Optional.of(created.branch().id()),
                  Optional.empty(),
                  database,
                  role.name());
      ObjectNode details = body.putArray("connection_uris").addObject();
      details.put("connection_uri", uri);
      details
          .putObject("connection_parameters")
          .put("database", created.databases().get(0).physicalName())
          .put("password", role.password())
          .put("role", role.name())
          .put("host", host)
          .put("pooler_host", host);
    }
    return new Answer(201, body);
  }

  private Answer updateBranch(Call c) throws NeonApiError, SQLException {
    JsonNode branch = c.body().get("branch");
    if (branch == null || !branch.isObject()) {
      throw new NeonApiError(400, "BAD_REQUEST", "the request body must hold a branch object");
    }
    Optional<Optional<Instant>> expiresAt = Optional.empty();
    if (branch.has("expires_at")) {
      expiresAt =
          Optional.of(
              branch.get("expires_at").isNull()
                  ? Optional.empty()
                  : Optional.of(parseTime(branch.get("expires_at"), "branch.expires_at")));
    }
    Optional<Boolean> isProtected =
        branch.has("protected")
            ? Optional.of(branch.get("protected").asBoolean())
            : Optional.empty();
    return branchChange(
        controlPlane
            .branches()
            .updateBranch(
                c.param("project_id"),
                c.param("branch_id"),
                new Requests.UpdateBranch(optionalText(branch, "name"), expiresAt, isProtected)));
  }

  private Answer restoreBranch(Call c) throws NeonApiError, SQLException {
    JsonNode body = c.body();
    return branchChange(
        controlPlane
            .branches()
            .restoreBranch(
                c.param("project_id"),
                c.param("branch_id"),
                new Requests.RestoreBranch(
                    requiredText(body, "source_branch_id", "source_branch_id"),
                    optionalText(body, "source_lsn"),
                    optionalTime(body, "source_timestamp"),
                    optionalText(body, "preserve_under_name"))));
  }

  private static Answer branchChange(BranchChange change) {
    ObjectNode body =
        object(
            "branch", JsonViews.branch(change.branch(), Optional.empty(), ComputeUsage.Usage.NONE));
    body.set("operations", JsonViews.operations(change.operations()));
    return ok(body);
  }

  /** {@code neonctl branches schema-diff} reads this: the database's schema as SQL. */
  private Answer branchSchema(Call c) throws NeonApiError, SQLException {
    if (c.queryParam("lsn").isPresent() || c.queryParam("timestamp").isPresent()) {
      throw new NeonApiError(
          400, "BAD_REQUEST", "neon-local keeps no history: lsn and timestamp are not supported");
    }
    if (!c.queryParam("format").orElse("sql").equals("sql")) {
      throw new NeonApiError(400, "BAD_REQUEST", "neon-local gives the schema as sql only");
    }
    String database =
        c.queryParam("db_name")
            .orElseThrow(() -> new NeonApiError(400, "BAD_REQUEST", "db_name is required"));
    try {
      String sql =
          controlPlane
              .branchQueries()
              .schema(c.param("project_id"), c.param("branch_id"), database);
      return ok(NODES.objectNode().put("sql", sql));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted while reading the schema", e);
    }
  }
}
