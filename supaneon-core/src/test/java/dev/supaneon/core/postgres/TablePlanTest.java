package dev.supaneon.core.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.supaneon.core.postgres.TablePlan.PageRange;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How tables are cut into ranges of pages: every page in exactly one range, the ends open. */
class TablePlanTest {

  @Test
  void oneRangeIsTheWholeTable() {
    assertEquals(List.of(PageRange.WHOLE), PageRange.split(1000, 1));
    assertEquals("", PageRange.WHOLE.where());
  }

  @Test
  void rangesCoverEveryPageOnceWithOpenEndsForRowsBeyondAStaleSize() {
    List<PageRange> ranges = PageRange.split(10, 3);
    assertEquals(List.of(new PageRange(-1, 3), new PageRange(3, 6), new PageRange(6, -1)), ranges);
    assertEquals("ctid < '(3,0)'::pg_catalog.tid", ranges.get(0).where());
    assertEquals(
        "ctid >= '(3,0)'::pg_catalog.tid AND ctid < '(6,0)'::pg_catalog.tid",
        ranges.get(1).where());
    assertEquals("ctid >= '(6,0)'::pg_catalog.tid", ranges.get(2).where());
  }

  @Test
  void twoPartsAreTwoRangesAndATinyTableSplitsIntoRangesThatStillCoverItOnce() {
    assertEquals(List.of(new PageRange(-1, 5), new PageRange(5, -1)), PageRange.split(10, 2));
    // One page in three parts: page 0 belongs to the last range only, the others are empty.
    List<String> where = PageRange.split(1, 3).stream().map(PageRange::where).toList();
    assertEquals(
        List.of(
            "ctid < '(0,0)'::pg_catalog.tid",
            "ctid >= '(0,0)'::pg_catalog.tid AND ctid < '(0,0)'::pg_catalog.tid",
            "ctid >= '(0,0)'::pg_catalog.tid"),
        where);
  }

  @Test
  void aTableIsSplitOnlyWithSeveralStreamsAndAtMostFourPartsPerStream() {
    long part = 16L * 1024 * 1024;
    assertEquals(1, TablePlan.partsFor(100 * part, 1, part));
    assertEquals(1, TablePlan.partsFor(part, 2, part));
    assertEquals(1, TablePlan.partsFor(part / 2, 2, part));
    assertEquals(3, TablePlan.partsFor(3 * part + 5, 2, part));
    assertEquals(8, TablePlan.partsFor(100 * part, 2, part));
    assertEquals(16, TablePlan.partsFor(100 * part, 4, part));
  }

  @Test
  void copiesNameTheirColumnsSoGeneratedAndDroppedOnesStayOut() {
    TablePlan plan =
        new TablePlan(
            new TableRef("public", "t"),
            List.of("\"id\"", "\"Name\""),
            0,
            List.of(PageRange.WHOLE),
            CopyFormat.TEXT);
    assertEquals(
        "COPY \"public\".\"t\" (\"id\", \"Name\") TO STDOUT", plan.copyOut(PageRange.WHOLE));
    assertEquals("COPY \"public\".\"t\" (\"id\", \"Name\") FROM STDIN", plan.copyIn());
    assertEquals(
        "COPY (SELECT \"id\", \"Name\" FROM ONLY \"public\".\"t\" WHERE ctid >= '(4,0)'::pg_catalog.tid)"
            + " TO STDOUT",
        plan.copyOut(new PageRange(4, -1)));
    TablePlan noColumns =
        new TablePlan(
            new TableRef("public", "empty"),
            List.of(),
            0,
            List.of(PageRange.WHOLE),
            CopyFormat.TEXT);
    assertEquals("COPY \"public\".\"empty\" FROM STDIN", noColumns.copyIn());
    TablePlan binary =
        new TablePlan(
            new TableRef("public", "t"),
            List.of("\"id\""),
            0,
            List.of(PageRange.WHOLE),
            CopyFormat.BINARY);
    assertEquals("COPY \"public\".\"t\" (\"id\") FROM STDIN (FORMAT binary)", binary.copyIn());
    assertEquals(
        "COPY (SELECT \"id\" FROM ONLY \"public\".\"t\" WHERE ctid < '(9,0)'::pg_catalog.tid)"
            + " TO STDOUT (FORMAT binary)",
        binary.copyOut(new PageRange(-1, 9)));
  }
}
