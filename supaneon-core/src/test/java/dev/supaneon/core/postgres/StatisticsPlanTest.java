package dev.supaneon.core.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.supaneon.core.postgres.TablePlan.PageRange;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** When each loaded table's statistics are gathered: every table and tree once, none too early. */
class StatisticsPlanTest {

  private static final TableRef ORDERS = new TableRef("public", "orders");

  private static TablePlan plan(String name, Optional<TableRef> root, boolean needsPostData) {
    return new TablePlan(
        new TableRef("public", name),
        List.of("\"id\""),
        0,
        List.of(PageRange.WHOLE),
        CopyFormat.TEXT,
        root,
        needsPostData,
        false);
  }

  @Test
  void aPlainTableIsAnalyzedAsSoonAsItIsLoaded() {
    TablePlan events = plan("events", Optional.empty(), false);
    StatisticsPlan statistics = new StatisticsPlan(List.of(events));
    assertEquals(Optional.of(events.table), statistics.loaded(events));
    assertEquals(List.of(), statistics.afterPostData());
  }

  @Test
  void aTableWithAnExpressionIndexOrExtendedStatisticsWaitsForPostData() {
    TablePlan users = plan("users", Optional.empty(), true);
    StatisticsPlan statistics = new StatisticsPlan(List.of(users));
    assertEquals(Optional.empty(), statistics.loaded(users), "its index does not exist yet");
    assertEquals(List.of(users.table), statistics.afterPostData());
  }

  @Test
  void aPartitionTreeIsAnalyzedOnceFromItsTopWhenItsLastPartitionIsLoaded() {
    TablePlan first = plan("orders_2024", Optional.of(ORDERS), false);
    TablePlan second = plan("orders_2025", Optional.of(ORDERS), false);
    StatisticsPlan statistics = new StatisticsPlan(List.of(first, second));
    assertEquals(Optional.empty(), statistics.loaded(second), "one partition is still loading");
    assertEquals(Optional.of(ORDERS), statistics.loaded(first));
    assertEquals(List.of(), statistics.afterPostData());
  }

  @Test
  void aPartitionTreeWaitsForPostDataWhenAnyOfItsPartitionsNeedsIt() {
    TablePlan first = plan("orders_2024", Optional.of(ORDERS), true);
    TablePlan second = plan("orders_2025", Optional.of(ORDERS), false);
    StatisticsPlan statistics = new StatisticsPlan(List.of(first, second));
    assertEquals(Optional.empty(), statistics.loaded(first));
    assertEquals(Optional.empty(), statistics.loaded(second));
    assertEquals(List.of(ORDERS), statistics.afterPostData(), "the tree once, from its top");
  }
}
