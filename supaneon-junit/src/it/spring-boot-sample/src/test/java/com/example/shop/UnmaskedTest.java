package com.example.shop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.supaneon.junit.NeonRestoredBranch;
import dev.supaneon.junit.RestoredBranch;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/** Another configuration (no masking): its own context and its own branch. */
@SpringBootTest
@NeonRestoredBranch(springProperties = true)
class UnmaskedTest {

  @Autowired Customers customers;
  @Autowired RestoredBranch branch;

  @Test
  void seesTheBackupAsItIs() throws Exception {
    Runs.record("UnmaskedTest", branch);
    assertEquals(2000, customers.count());
    assertEquals(0, customers.masked());
  }
}
