package dev.supaneon.neonlocal;

import static dev.supaneon.neonlocal.ApiCalls.NODES;
import static dev.supaneon.neonlocal.ApiCalls.endpointSpec;
import static dev.supaneon.neonlocal.ApiCalls.object;
import static dev.supaneon.neonlocal.ApiCalls.ok;
import static dev.supaneon.neonlocal.ApiCalls.requiredText;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.supaneon.neonlocal.ApiCalls.Answer;
import dev.supaneon.neonlocal.controlplane.ControlPlane;
import dev.supaneon.neonlocal.controlplane.NeonApiError;
import dev.supaneon.neonlocal.controlplane.Requests;

/**
 * Neon's API v2 routes that neon-local serves, each answered through the control plane: projects
 * and branches ({@link BranchRoutes}), databases, roles, endpoints, connection URIs, operations.
 */
final class NeonRoutes {

  private final ControlPlane controlPlane;
  private final String host;

  NeonRoutes(ControlPlane controlPlane, String host) {
    this.controlPlane = controlPlane;
    this.host = host;
  }

  void defineOn(Routes routes) {
    String project = "/projects/{project_id}";
    String branch = project + "/branches/{branch_id}";
    // First: /projects/shared must not be taken for a project id.
    new AccountRoutes(controlPlane, host).defineOn(routes, project);
    new BranchRoutes(controlPlane, host).defineOn(routes, project, branch);
    routes.add(
        "GET",
        branch + "/databases",
        "listProjectBranchDatabases",
        c ->
            ok(
                object(
                    "databases",
                    JsonViews.databases(
                        controlPlane
                            .databasesAndRoles()
                            .listDatabases(c.param("project_id"), c.param("branch_id"))))));
    routes.add(
        "POST",
        branch + "/databases",
        "createProjectBranchDatabase",
        c -> {
          JsonNode database = c.body().path("database");
          var change =
              controlPlane
                  .databasesAndRoles()
                  .createDatabase(
                      c.param("project_id"),
                      c.param("branch_id"),
                      requiredText(database, "name", "database.name"),
                      requiredText(database, "owner_name", "database.owner_name"));
          ObjectNode body = object("database", JsonViews.database(change.database()));
          body.set("operations", JsonViews.operations(change.operations()));
          return new Answer(201, body);
        });
    routes.add(
        "GET",
        branch + "/databases/{database_name}",
        "getProjectBranchDatabase",
        c ->
            ok(
                object(
                    "database",
                    JsonViews.database(
                        controlPlane
                            .databasesAndRoles()
                            .getDatabase(
                                c.param("project_id"),
                                c.param("branch_id"),
                                c.param("database_name"))))));
    routes.add(
        "DELETE",
        branch + "/databases/{database_name}",
        "deleteProjectBranchDatabase",
        c -> {
          var change =
              controlPlane
                  .databasesAndRoles()
                  .deleteDatabase(
                      c.param("project_id"), c.param("branch_id"), c.param("database_name"));
          if (change.isEmpty()) {
            return new Answer(204, null);
          }
          ObjectNode body = object("database", JsonViews.database(change.get().database()));
          body.set("operations", JsonViews.operations(change.get().operations()));
          return ok(body);
        });
    routes.add(
        "GET",
        branch + "/roles",
        "listProjectBranchRoles",
        c ->
            ok(
                object(
                    "roles",
                    JsonViews.roles(
                        controlPlane
                            .databasesAndRoles()
                            .listRoles(c.param("project_id"), c.param("branch_id")),
                        false))));
    routes.add(
        "POST",
        branch + "/roles",
        "createProjectBranchRole",
        c -> {
          JsonNode role = c.body().path("role");
          var change =
              controlPlane
                  .databasesAndRoles()
                  .createRole(
                      c.param("project_id"),
                      c.param("branch_id"),
                      requiredText(role, "name", "role.name"),
                      role.path("no_login").asBoolean(false));
          ObjectNode body = object("role", JsonViews.role(change.role(), true));
          body.set("operations", JsonViews.operations(change.operations()));
          return new Answer(201, body);
        });
    routes.add(
        "GET",
        branch + "/roles/{role_name}",
        "getProjectBranchRole",
        c ->
            ok(
                object(
                    "role",
                    JsonViews.role(
                        controlPlane
                            .databasesAndRoles()
                            .getRole(
                                c.param("project_id"), c.param("branch_id"), c.param("role_name")),
                        false))));
    routes.add(
        "DELETE",
        branch + "/roles/{role_name}",
        "deleteProjectBranchRole",
        c ->
            roleChange(
                controlPlane
                    .databasesAndRoles()
                    .deleteRole(c.param("project_id"), c.param("branch_id"), c.param("role_name")),
                false));
    routes.add(
        "POST",
        branch + "/roles/{role_name}/reset_password",
        "resetProjectBranchRolePassword",
        c ->
            roleChange(
                controlPlane
                    .databasesAndRoles()
                    .resetPassword(
                        c.param("project_id"), c.param("branch_id"), c.param("role_name")),
                true));
    routes.add(
        "GET",
        branch + "/roles/{role_name}/reveal_password",
        "getProjectBranchRolePassword",
        c ->
            ok(
                NODES
                    .objectNode()
                    .put(
                        "password",
                        controlPlane
                            .databasesAndRoles()
                            .revealPassword(
                                c.param("project_id"),
                                c.param("branch_id"),
                                c.param("role_name")))));
    routes.add(
        "POST",
        project + "/endpoints",
        "createProjectEndpoint",
        c -> {
          JsonNode endpoint = c.body().path("endpoint");
          var change =
              controlPlane
                  .endpoints()
                  .createEndpoint(
                      c.param("project_id"),
                      requiredText(endpoint, "branch_id", "endpoint.branch_id"),
                      endpointSpec(endpoint, "endpoint"));
          Answer answer = endpointChange(change);
          return new Answer(201, answer.body());
        });
    routes.add(
        "PATCH",
        project + "/endpoints/{endpoint_id}",
        "updateProjectEndpoint",
        c -> {
          JsonNode endpoint = c.body().path("endpoint");
          return endpointChange(
              controlPlane
                  .endpoints()
                  .updateEndpoint(
                      c.param("project_id"),
                      c.param("endpoint_id"),
                      number(endpoint, "autoscaling_limit_min_cu").map(JsonNode::asDouble),
                      number(endpoint, "autoscaling_limit_max_cu").map(JsonNode::asDouble),
                      number(endpoint, "suspend_timeout_seconds").map(JsonNode::asLong)));
        });
    routes.add(
        "DELETE",
        project + "/endpoints/{endpoint_id}",
        "deleteProjectEndpoint",
        c ->
            endpointChange(
                controlPlane
                    .endpoints()
                    .deleteEndpoint(c.param("project_id"), c.param("endpoint_id"))));
    routes.add(
        "GET",
        project + "/endpoints",
        "listProjectEndpoints",
        c ->
            ok(
                object(
                    "endpoints",
                    JsonViews.endpoints(
                        controlPlane.endpoints().listEndpoints(c.param("project_id")), host))));
    routes.add(
        "GET",
        project + "/endpoints/{endpoint_id}",
        "getProjectEndpoint",
        c ->
            ok(
                object(
                    "endpoint",
                    JsonViews.endpoint(
                        controlPlane
                            .endpoints()
                            .getEndpoint(c.param("project_id"), c.param("endpoint_id")),
                        host))));
    routes.add(
        "POST",
        project + "/endpoints/{endpoint_id}/start",
        "startProjectEndpoint",
        c ->
            endpointChange(
                controlPlane
                    .endpoints()
                    .startEndpoint(c.param("project_id"), c.param("endpoint_id"))));
    routes.add(
        "POST",
        project + "/endpoints/{endpoint_id}/suspend",
        "suspendProjectEndpoint",
        c ->
            endpointChange(
                controlPlane
                    .endpoints()
                    .suspendEndpoint(c.param("project_id"), c.param("endpoint_id"))));
    routes.add(
        "GET",
        project + "/connection_uri",
        "getConnectionURI",
        c -> {
          String uri =
              controlPlane
                  .databasesAndRoles()
                  .connectionUri(
                      c.param("project_id"),
                      c.queryParam("branch_id"),
                      c.queryParam("endpoint_id"),
                      c.queryParam("database_name")
                          .orElseThrow(
                              () ->
                                  new NeonApiError(
                                      400, "BAD_REQUEST", "database_name is required")),
                      c.queryParam("role_name")
                          .orElseThrow(
                              () -> new NeonApiError(400, "BAD_REQUEST", "role_name is required")));
          return ok(NODES.objectNode().put("uri", uri));
        });
    routes.add(
        "GET",
        project + "/operations",
        "listProjectOperations",
        c -> {
          var page =
              controlPlane
                  .operationQueries()
                  .listOperations(
                      c.param("project_id"), c.queryParam("cursor"), c.intParam("limit"));
          ObjectNode body = object("operations", JsonViews.operations(page.operations()));
          page.nextCursor().ifPresent(cursor -> body.putObject("pagination").put("cursor", cursor));
          return ok(body);
        });
    routes.add(
        "GET",
        project + "/operations/{operation_id}",
        "getProjectOperation",
        c ->
            ok(
                object(
                    "operation",
                    JsonViews.operation(
                        controlPlane
                            .operationQueries()
                            .getOperation(c.param("project_id"), c.param("operation_id"))))));
  }

  private static Answer roleChange(Requests.RoleChange change, boolean withPassword) {
    ObjectNode body = object("role", JsonViews.role(change.role(), withPassword));
    body.set("operations", JsonViews.operations(change.operations()));
    return ok(body);
  }

  /** A numeric field of a PATCH body, when the client sent one. */
  private static java.util.Optional<JsonNode> number(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isNumber() ? java.util.Optional.of(value) : java.util.Optional.empty();
  }

  private Answer endpointChange(Requests.EndpointChange change) {
    ObjectNode body = object("endpoint", JsonViews.endpoint(change.endpoint(), host));
    body.set("operations", JsonViews.operations(change.operations()));
    return ok(body);
  }
}
