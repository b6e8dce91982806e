package dev.supaneon.junit;

import dev.supaneon.core.config.PostgresUrl;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/** A branch restored for a test: how to reach it. {@link #toString()} hides the password. */
public final class RestoredBranch {

  private final String branchId;
  private final String branchName;
  private final PostgresUrl url;

  RestoredBranch(String branchId, String branchName, PostgresUrl url) {
    this.branchId = branchId;
    this.branchName = branchName;
    this.url = url;
  }

  public String branchId() {
    return branchId;
  }

  public String branchName() {
    return branchName;
  }

  public String host() {
    return url.host();
  }

  public int port() {
    return url.port();
  }

  public String database() {
    return url.database();
  }

  /** {@code jdbc:postgresql://host:port/database?sslmode=require}, without credentials. */
  public String jdbcUrl() {
    return url.jdbcUrl() + "?sslmode=" + url.sslMode();
  }

  public String user() {
    return url.user();
  }

  public String password() {
    return url.password().reveal();
  }

  /** The libpq URI with credentials, for psql and other libpq clients. A secret. */
  public String libpqUri() {
    return url.revealedUri();
  }

  /** A new connection; the caller closes it. */
  public Connection connect() throws SQLException {
    return DriverManager.getConnection(url.jdbcUrl(), url.jdbcProperties());
  }

  /** A data source without pooling that opens connections to the branch. */
  public DataSource dataSource() {
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setServerNames(new String[] {url.host()});
    dataSource.setPortNumbers(new int[] {url.port()});
    dataSource.setDatabaseName(url.database());
    dataSource.setUser(url.user());
    dataSource.setPassword(url.password().reveal());
    dataSource.setSslMode(url.sslMode());
    dataSource.setApplicationName("supaneon-junit");
    return dataSource;
  }

  @Override
  public String toString() {
    return "RestoredBranch[" + branchName + " (" + branchId + "), " + url + "]";
  }
}
