package dev.supaneon.neonlocal.controlplane;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * neon-local's model of Neon's storage accounting, which the API reports:
 *
 * <ul>
 *   <li>a branch's logical size is what its databases hold ({@code pg_database_size});
 *   <li>what a branch has written is what its databases hold beyond what they held when the branch
 *       was made from its parent: a database created, loaded or restored into on the branch counts
 *       whole, a copy that is only read costs nothing;
 *   <li>the project's synthetic storage is the root branch's logical size plus, for each other
 *       branch, the smaller of what it wrote and its logical size (Neon's rule for child branches).
 * </ul>
 *
 * <p>Not modelled: WAL, history retention, and storage freed by deleting rows (a database's size
 * rarely shrinks without VACUUM FULL, on Neon as here).
 */
public final class StorageModel extends ControlPlanePart {

  /** One branch's figures, in bytes. */
  public record BranchStorage(long logicalBytes, long writtenBytes) {
    /** What the branch adds to the project's synthetic storage. */
    public long cost(boolean root) {
      return root ? logicalBytes : Math.min(writtenBytes, logicalBytes);
    }
  }

  StorageModel(ControlPlane plane) {
    super(plane);
  }

  public BranchStorage of(String branchId) throws SQLException {
    return ofBranches(List.of(branchId)).get(branchId);
  }

  /** The figures of each branch, from one query of the databases' sizes. */
  public Map<String, BranchStorage> ofBranches(List<String> branchIds) throws SQLException {
    Map<String, List<Map.Entry<String, Long>>> databases = new LinkedHashMap<>();
    List<String> names = new ArrayList<>();
    for (String branchId : branchIds) {
      List<Map.Entry<String, Long>> ofBranch = store.inheritedBytes(branchId);
      databases.put(branchId, ofBranch);
      ofBranch.forEach(database -> names.add(database.getKey()));
    }
    Map<String, Long> sizes = cluster.databaseSizes(names);
    Map<String, BranchStorage> storage = new LinkedHashMap<>();
    databases.forEach(
        (branchId, ofBranch) -> {
          long logical = 0;
          long written = 0;
          for (Map.Entry<String, Long> database : ofBranch) {
            long size = sizes.getOrDefault(database.getKey(), 0L);
            logical += size;
            written += Math.max(0, size - database.getValue());
          }
          storage.put(branchId, new BranchStorage(logical, written));
        });
    return storage;
  }

  /** The project's synthetic storage size. */
  public long syntheticStorage() throws SQLException {
    List<BranchRecord> branches = store.listBranches(projectId);
    Map<String, BranchStorage> storage =
        ofBranches(branches.stream().map(BranchRecord::id).toList());
    long total = 0;
    for (BranchRecord branch : branches) {
      total += storage.get(branch.id()).cost(branch.parentId() == null);
    }
    return total;
  }
}
