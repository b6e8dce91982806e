package dev.supaneon.neonlocal.controlplane;

import dev.supaneon.neonlocal.controlplane.Requests.BranchPage;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The branch reads of the control plane: list (sorted, searched, paged by cursor), count, get, and
 * logical size.
 */
public final class BranchQueries extends ControlPlanePart {

  BranchQueries(ControlPlane plane) {
    super(plane);
  }

  // ---- branches

  public BranchPage listBranches(
      String requestedProjectId,
      Optional<String> search,
      Optional<String> sortBy,
      Optional<String> sortOrder,
      Optional<Integer> limit,
      Optional<String> cursor)
      throws NeonApiError, SQLException {
    plane.requireProject(requestedProjectId);
    String field = sortBy.orElse("updated_at");
    String order = sortOrder.orElse("desc");
    if (!List.of("name", "created_at", "updated_at").contains(field)) {
      throw NeonApiError.badRequest("sort_by must be one of name, created_at, updated_at");
    }
    if (!List.of("asc", "desc").contains(order)) {
      throw NeonApiError.badRequest("sort_order must be asc or desc");
    }
    if (limit.isPresent() && (limit.get() < 1 || limit.get() > 10000)) {
      throw NeonApiError.badRequest("limit must be between 1 and 10000");
    }
    Comparator<BranchRecord> comparator =
        Comparator.comparing((BranchRecord b) -> sortKey(b, field)).thenComparing(BranchRecord::id);
    if (order.equals("desc")) {
      comparator = comparator.reversed();
    }
    List<BranchRecord> all =
        store.listBranches(projectId).stream()
            .filter(b -> matches(b, search))
            .sorted(comparator)
            .toList();
    int start = 0;
    if (cursor.isPresent() && !cursor.get().isEmpty()) {
      String afterId = decodeCursor(cursor.get());
      start = all.size();
      for (int i = 0; i < all.size(); i++) {
        if (all.get(i).id().equals(afterId)) {
          start = i + 1;
          break;
        }
      }
    }
    int end = Math.min(all.size(), start + limit.orElse(all.size()));
    List<BranchRecord> page = all.subList(Math.min(start, all.size()), end);
    Optional<String> next =
        end < all.size() && !page.isEmpty()
            ? Optional.of(encodeCursor(page.get(page.size() - 1).id()))
            : Optional.empty();
    return new BranchPage(page, next, field, order);
  }

  public long countBranches(String requestedProjectId, Optional<String> search)
      throws NeonApiError, SQLException {
    plane.requireProject(requestedProjectId);
    return store.listBranches(projectId).stream().filter(b -> matches(b, search)).count();
  }

  public BranchRecord getBranch(String requestedProjectId, String branchId)
      throws NeonApiError, SQLException {
    plane.requireProject(requestedProjectId);
    return plane.branch(branchId);
  }

  private static boolean matches(BranchRecord branch, Optional<String> search) {
    if (search.isEmpty() || search.get().isEmpty()) {
      return true;
    }
    String needle = search.get().toLowerCase(Locale.ROOT);
    return branch.name().toLowerCase(Locale.ROOT).contains(needle)
        || branch.id().toLowerCase(Locale.ROOT).contains(needle);
  }

  private static String sortKey(BranchRecord branch, String field) {
    return switch (field) {
      case "name" -> branch.name();
      case "created_at" -> String.format(Locale.ROOT, "%020d", branch.createdAt().toEpochMilli());
      default -> String.format(Locale.ROOT, "%020d", branch.updatedAt().toEpochMilli());
    };
  }

  static String encodeCursor(String value) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }

  static String decodeCursor(String cursor) throws NeonApiError {
    try {
      return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw NeonApiError.badRequest("invalid cursor");
    }
  }

  /** The schema of a branch's database as {@code pg_dump --schema-only} writes it, as on Neon. */
  public String schema(String requestedProjectId, String branchId, String databaseName)
      throws NeonApiError, SQLException, InterruptedException {
    BranchRecord branch = existingBranch(requestedProjectId, branchId);
    DatabaseRecord database =
        found(store.findDatabase(branch.id(), databaseName), "database " + databaseName);
    return cluster.schemaOf(database.physicalName());
  }
}
