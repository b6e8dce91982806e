package com.example.shop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.supaneon.junit.NeonRestoredBranch;
import dev.supaneon.junit.RestoredBranch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

@NeonRestoredBranch(lifecycle = NeonRestoredBranch.Lifecycle.PER_METHOD, masking = "masking/customers.sql")
class CustomersTest {

  static long count(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }

  static void record(RestoredBranch branch) throws IOException {
    String junit = Test.class.getPackage().getImplementationVersion();
    Files.writeString(Path.of("target", "runs.txt"), junit + " " + branch.branchId() + "\n",
        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  @Test
  void seesTheRestoredData(Connection connection, RestoredBranch branch) throws Exception {
    record(branch);
    assertEquals(2000, count(connection, "select count(*) from public.customers"));
    assertEquals(8000, count(connection, "select count(*) from public.orders"));
  }

  @Test
  void seesOnlyMaskedCustomers(Connection connection, RestoredBranch branch) throws Exception {
    record(branch);
    assertEquals(0, count(connection, "select count(*) from public.customers where email like '%@example.com'"));
    assertEquals(2000, count(connection, "select count(*) from public.customers where full_name = 'Masked'"));
  }

  @Test
  void writesStayOnItsOwnBranch(Connection connection, RestoredBranch branch) throws Exception {
    record(branch);
    try (Statement statement = connection.createStatement()) {
      statement.execute("delete from public.order_items");
    }
    assertEquals(0, count(connection, "select count(*) from public.order_items"));
  }
}
