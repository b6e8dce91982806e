package dev.supaneon.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives the annotated test class or method a fresh Neon branch restored from the newest verified
 * backup (or a named branch), and deletes it when the scope ends, also when tests fail.
 *
 * <pre>{@code
 * @NeonRestoredBranch(masking = "masking/anonymize-users.sql")
 * class OrdersIT {
 *   @Test
 *   void ordersHaveCustomers(Connection connection) throws SQLException { ... }
 * }
 * }</pre>
 *
 * <p>Test methods (and lifecycle methods of the same scope) receive the branch as a {@link
 * RestoredBranch}, a {@code javax.sql.DataSource} or a {@code java.sql.Connection}. Neon settings
 * come from JUnit configuration parameters ({@code junit-platform.properties}) or system properties
 * named like the Maven properties ({@code supaneon.neonApiKey}, {@code supaneon.neonProjectId},
 * ...), then from the environment ({@code NEON_API_KEY}, {@code NEON_PROJECT_ID}, {@code
 * NEON_API_URL}, {@code NEON_DATABASE}, {@code NEON_ROLE}). Without them the tests are skipped with
 * the reason, unless {@code supaneon.junit.required=true} makes that a failure.
 */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(NeonRestoredBranchExtension.class)
public @interface NeonRestoredBranch {

  /** The branch to restore from, by id or name; empty means the newest verified backup. */
  String source() default "";

  /** One branch for the whole class (default), or one per test method. */
  Lifecycle lifecycle() default Lifecycle.PER_CLASS;

  /** The database to connect to; empty means NEON_DATABASE or {@code neondb}. */
  String database() default "";

  /** The role to connect as; empty means NEON_ROLE or {@code neondb_owner}. */
  String role() default "";

  /**
   * SQL scripts on the class path run on the branch, in order, before any test sees it: for example
   * to replace e-mail addresses and names. If one fails the branch is deleted and the tests fail,
   * so unmasked data never reaches them.
   */
  String[] masking() default {};

  /**
   * When Neon deletes the branch by itself, as a safety net for a test JVM that is killed: a
   * duration such as {@code 2h} or {@code PT30M}, at most 30 days.
   */
  String expiry() default "2h";

  /** Keeps the branch (until its expiry) when a test in its scope fails, for inspection. */
  boolean keepOnFailure() default false;

  /**
   * Makes the branch part of the Spring test context instead of the JUnit scope: Spring Boot tests
   * get {@code spring.datasource.url}, {@code .username} and {@code .password} from it, and a
   * {@link RestoredBranch} bean. Test classes with the same branch settings share one context and
   * one branch; the branch is deleted when Spring closes the context. {@code lifecycle} and {@code
   * keepOnFailure} do not apply.
   */
  boolean springProperties() default false;

  /** How long a branch lives. */
  enum Lifecycle {
    /** One branch for all tests of the class. */
    PER_CLASS,
    /** A new branch for every test method. */
    PER_METHOD
  }
}
