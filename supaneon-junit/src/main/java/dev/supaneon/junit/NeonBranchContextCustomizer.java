package dev.supaneon.junit;

import dev.supaneon.core.SupaneonException;
import dev.supaneon.core.branch.TestBranches;
import dev.supaneon.core.branch.TestBranches.TestBranch;
import dev.supaneon.core.config.NeonSettings;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Creates the branch when Spring builds the test context, puts {@code spring.datasource.url},
 * {@code .username} and {@code .password} first among the context's properties, offers the branch
 * as a {@link RestoredBranch} bean, and deletes the branch when the context closes.
 *
 * <p>Equal customizers make equal context cache keys: its identity is the branch it asks for
 * (source, database, role, masking, expiry), so a cached context always comes with its own live
 * branch.
 */
final class NeonBranchContextCustomizer implements ContextCustomizer {

  static final String PROPERTY_SOURCE = "supaneon-neon-branch";
  static final String BEAN = "supaneonRestoredBranch";

  /** What the branch is made from: the context's identity. */
  private record BranchRequest(
      String source, String database, String role, List<String> masking, String expiry) {}

  private final BranchRequest request;

  NeonBranchContextCustomizer(NeonRestoredBranch annotation) {
    this.request =
        new BranchRequest(
            annotation.source(),
            annotation.database(),
            annotation.role(),
            List.of(annotation.masking()),
            annotation.expiry());
  }

  @Override
  public void customizeContext(
      ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
    JunitConfiguration configuration = JunitConfiguration.fromSystem();
    Optional<String> missing = configuration.missingConfiguration();
    if (missing.isPresent()) {
      throw new IllegalStateException(
          "@NeonRestoredBranch(springProperties = true): " + missing.get());
    }
    NeonSettings settings = configuration.neon();
    String database = request.database().isBlank() ? settings.database() : request.database();
    String role = request.role().isBlank() ? settings.role() : request.role();
    TestBranch branch;
    try (TestBranches branches = TestBranches.open(settings)) {
      branch =
          branches.create(
              request.source(),
              Expiry.parse(request.expiry()),
              "spring:" + mergedConfig.getTestClass().getName(),
              database,
              role);
      try {
        Masking.apply(
            branch.url(), request.masking(), mergedConfig.getTestClass().getClassLoader());
      } catch (RuntimeException e) {
        branches.delete(branch);
        throw e;
      }
    } catch (SupaneonException e) {
      throw new IllegalStateException(
          "@NeonRestoredBranch: "
              + e.getMessage()
              + e.suggestion().map(suggestion -> ". " + suggestion).orElse(""),
          e);
    }
    RestoredBranch restored = new RestoredBranch(branch.id(), branch.name(), branch.url());
    context
        .getEnvironment()
        .getPropertySources()
        .addFirst(
            new MapPropertySource(
                PROPERTY_SOURCE,
                Map.of(
                    "spring.datasource.url", restored.jdbcUrl(),
                    "spring.datasource.username", restored.user(),
                    "spring.datasource.password", restored.password())));
    context.getBeanFactory().registerSingleton(BEAN, restored);
    context.addApplicationListener(
        event -> {
          if (event instanceof ContextClosedEvent closed
              && closed.getApplicationContext() == context) {
            try (TestBranches branches = TestBranches.open(settings)) {
              branches.delete(branch);
            }
          }
        });
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof NeonBranchContextCustomizer customizer
        && customizer.request.equals(request);
  }

  @Override
  public int hashCode() {
    return request.hashCode();
  }

  @Override
  public String toString() {
    return "NeonBranchContextCustomizer" + request;
  }
}
