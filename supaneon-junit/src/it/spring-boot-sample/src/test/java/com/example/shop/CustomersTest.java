package com.example.shop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.supaneon.junit.NeonRestoredBranch;
import dev.supaneon.junit.RestoredBranch;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

@SpringBootTest
@NeonRestoredBranch(springProperties = true, masking = "masking/customers.sql")
class CustomersTest {

  @Autowired Customers customers;
  @Autowired RestoredBranch branch;

  @Test
  void seesTheRestoredAndMaskedData() throws Exception {
    Runs.record("CustomersTest", branch);
    assertEquals(2000, customers.count());
    assertEquals(2000, customers.masked());
  }

  @Nested
  class WhenNested {
    @Test
    void seesTheSameBranch() throws Exception {
      Runs.record("CustomersTest.WhenNested", branch);
      assertEquals(2000, customers.masked());
    }
  }
}
