package dev.supaneon.neonlocal;

import static dev.supaneon.neonlocal.ApiCalls.NODES;
import static dev.supaneon.neonlocal.ApiCalls.ok;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.supaneon.neonlocal.controlplane.ControlPlane;
import dev.supaneon.neonlocal.controlplane.NeonApiError;
import dev.supaneon.neonlocal.controlplane.ProjectRecord;

/**
 * The account's routes: the project list (neon-local serves one project), the current user, and
 * project creation and deletion, which it refuses as Neon refuses them to a key scoped to one
 * project.
 */
final class AccountRoutes {

  private final ControlPlane controlPlane;
  private final String host;

  AccountRoutes(ControlPlane controlPlane, String host) {
    this.controlPlane = controlPlane;
    this.host = host;
  }

  void defineOn(Routes routes, String project) {
    routes.add(
        "GET",
        "/projects",
        "listProjects",
        c -> {
          ObjectNode item = projectView(controlPlane.project(controlPlane.projectId()));
          // A list item is a project without its consumption figures and owner.
          item.remove(
              java.util.List.of(
                  "active_time_seconds",
                  "compute_time_seconds",
                  "consumption_period_start",
                  "consumption_period_end",
                  "data_storage_bytes_hour",
                  "data_transfer_bytes",
                  "owner",
                  "written_data_bytes"));
          item.put("active_time", 0);
          ObjectNode body = NODES.objectNode();
          body.putArray("projects").add(item);
          body.putObject("pagination").put("cursor", controlPlane.projectId());
          body.putObject("applications");
          body.putObject("integrations");
          return ok(body);
        });
    routes.add(
        "GET",
        "/projects/shared",
        "listSharedProjects",
        // Nobody shares a project with neon-local's user.
        c -> noneOf("projects"));
    routes.add(
        "POST",
        "/projects",
        "createProject",
        c -> {
          throw projectScoped("create projects");
        });
    routes.add(
        "DELETE",
        project,
        "deleteProject",
        c -> {
          throw projectScoped("delete projects");
        });
    routes.add(
        "GET",
        project,
        "getProject",
        c -> {
          ObjectNode body = NODES.objectNode();
          body.set("project", projectView(controlPlane.project(c.param("project_id"))));
          return ok(body);
        });
    routes.add(
        "PATCH",
        project,
        "updateProject",
        c -> {
          JsonNode change = c.body().path("project");
          for (java.util.Iterator<String> fields = change.fieldNames(); fields.hasNext(); ) {
            String field = fields.next();
            if (!field.equals("name")) {
              throw new NeonApiError(
                  400, "BAD_REQUEST", "neon-local changes a project's name only, not " + field);
            }
          }
          ProjectRecord renamed =
              change.has("name")
                  ? controlPlane.renameProject(c.param("project_id"), change.get("name").asText())
                  : controlPlane.project(c.param("project_id"));
          ObjectNode body = NODES.objectNode();
          body.set("project", projectView(renamed));
          body.putArray("operations");
          return ok(body);
        });
    routes.add("GET", "/users/me", "getCurrentUserInfo", c -> ok(currentUser()));
    routes.add(
        "GET",
        "/users/me/organizations",
        "getCurrentUserOrganizations",
        // A personal account: no organization, as for a Free plan user who never made one.
        c -> noneOf("organizations"));
  }

  /** An answer listing nothing: {@code {"<field>": []}}. */
  private static ApiCalls.Answer noneOf(String field) {
    ObjectNode body = NODES.objectNode();
    body.putArray(field);
    return ok(body);
  }

  private ObjectNode projectView(ProjectRecord project) throws java.sql.SQLException {
    return JsonViews.project(
        project,
        host,
        controlPlane.storageLimitBytes(),
        controlPlane.storage().syntheticStorage(),
        controlPlane.computeUsage().ofProject());
  }

  private NeonApiError projectScoped(String what) {
    return new NeonApiError(
        403,
        "PERMISSION_DENIED",
        "this API key is scoped to project "
            + controlPlane.projectId()
            + " and may not "
            + what
            + " (neon-local serves one project)");
  }

  private ObjectNode currentUser() throws NeonApiError, java.sql.SQLException {
    ObjectNode user = NODES.objectNode();
    user.put("id", "neon-local")
        .put("email", "neon-local@localhost")
        .put("login", "neon-local")
        .put("name", "neon-local")
        .put("last_name", "")
        .put("image", "")
        .put("active_seconds_limit", 0)
        .put("projects_limit", 1)
        .put("branches_limit", controlPlane.project(controlPlane.projectId()).branchLimit())
        .put("max_autoscaling_limit", 2)
        .put("plan", "free_v3");
    // A local user signed in through no identity provider: the spec allows no "local" one.
    user.putArray("auth_accounts");
    return user;
  }
}
