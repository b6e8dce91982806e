package dev.supaneon.neonlocal.controlplane;

import java.sql.SQLException;
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
    long logical = 0;
    long written = 0;
    for (Map.Entry<String, Long> database : store.inheritedBytes(branchId)) {
      long size = cluster.databaseSize(database.getKey());
      logical += size;
      written += Math.max(0, size - database.getValue());
    }
    return new BranchStorage(logical, written);
  }

  /** The project's synthetic storage size. */
  public long syntheticStorage() throws SQLException {
    long total = 0;
    for (BranchRecord branch : store.listBranches(projectId)) {
      total += of(branch.id()).cost(branch.parentId() == null);
    }
    return total;
  }
}
