package com.example.shop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supaneon.junit.NeonRestoredBranch;
import dev.supaneon.junit.RestoredBranch;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/** The same configuration as CustomersTest: Spring's context cache gives it the same, live branch. */
@SpringBootTest
@NeonRestoredBranch(springProperties = true, masking = "masking/customers.sql")
class CustomerCountTest {

  @Autowired Customers customers;
  @Autowired RestoredBranch branch;

  @Test
  void secondClassWithTheSameConfigurationConnects() throws Exception {
    Runs.record("CustomerCountTest", branch);
    assertEquals(2000, customers.count());
    assertTrue(customers.database().length() > 0);
  }
}
