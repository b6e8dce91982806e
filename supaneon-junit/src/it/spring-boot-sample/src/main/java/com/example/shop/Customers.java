package com.example.shop;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

@Repository
public class Customers {
  private final JdbcTemplate jdbc;

  public Customers(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  public long count() {
    return jdbc.queryForObject("select count(*) from public.customers", Long.class);
  }

  public long masked() {
    return jdbc.queryForObject("select count(*) from public.customers where full_name = 'Masked'", Long.class);
  }

  public String database() {
    return jdbc.queryForObject("select current_database()", String.class);
  }
}
