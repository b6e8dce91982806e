package dev.supaneon.core.postgres;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * When each loaded table's planner statistics are gathered, each table once. A restored database
 * has none, as PostgreSQL's documentation warns after a restore, and the standby and every branch
 * of a backup inherit them, so a failover's first queries are planned with them.
 *
 * <ul>
 *   <li>A table: ANALYZE once its rows are loaded and checked, beside the copy of the others.
 *   <li>A partition tree: ANALYZE of its top once all its loaded partitions are, which gathers each
 *       partition's statistics and the tree's own; autovacuum never gathers a partitioned table's.
 *       A tree with a foreign table in it is analyzed partition by partition instead: ANALYZE of
 *       its top would read the foreign table through its server.
 *   <li>A table or tree with an expression index or an extended statistics object: ANALYZE after
 *       post-data, which creates those; earlier, their statistics would wait for the next ANALYZE.
 * </ul>
 */
final class StatisticsPlan {

  private final Map<TableRef, Integer> partitionsLeft = new HashMap<>();
  private final Set<TableRef> afterPostData = new LinkedHashSet<>();

  StatisticsPlan(List<TablePlan> plans) {
    Set<TableRef> treesNeedingPostData = new HashSet<>();
    for (TablePlan plan : plans) {
      if (plan.partitionRoot.isPresent()) {
        partitionsLeft.merge(plan.partitionRoot.get(), 1, Integer::sum);
        if (plan.statisticsNeedPostData) {
          treesNeedingPostData.add(plan.partitionRoot.get());
        }
      }
    }
    for (TablePlan plan : plans) {
      TableRef analyzed = plan.partitionRoot.orElse(plan.table);
      if (plan.statisticsNeedPostData || treesNeedingPostData.contains(analyzed)) {
        afterPostData.add(analyzed);
      }
    }
  }

  /**
   * What to ANALYZE now that this table's rows are loaded and checked: the table, the top of its
   * partition tree when it was the tree's last, or nothing yet.
   */
  synchronized Optional<TableRef> loaded(TablePlan plan) {
    TableRef analyzed = plan.partitionRoot.orElse(plan.table);
    if (afterPostData.contains(analyzed)) {
      return Optional.empty();
    }
    if (plan.partitionRoot.isEmpty()) {
      return Optional.of(analyzed);
    }
    int left = partitionsLeft.merge(analyzed, -1, Integer::sum);
    return left == 0 ? Optional.of(analyzed) : Optional.empty();
  }

  /** Tables and partition trees to ANALYZE once post-data is restored, in the plans' order. */
  List<TableRef> afterPostData() {
    return List.copyOf(afterPostData);
  }
}
