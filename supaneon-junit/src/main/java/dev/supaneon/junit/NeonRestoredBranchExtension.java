package dev.supaneon.junit;

import dev.supaneon.core.SupaneonException;
import java.lang.reflect.AnnotatedElement;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The extension behind {@link NeonRestoredBranch}. Every branch lives in the {@link
 * ExtensionContext.Store} of its scope (the class, or the test method), which closes it, and so
 * deletes it, when the scope ends, whatever the outcome. {@code @Nested} classes share the branch
 * of the class that declares the annotation. The only state shared between scopes is the run's
 * {@link BranchPermits}, in the root store, so tests may run in parallel.
 *
 * <p>With {@code springProperties = true} the branch belongs to the Spring test context instead
 * (see {@link NeonBranchContextCustomizerFactory}) and this extension only decides whether the
 * tests run.
 */
public final class NeonRestoredBranchExtension
    implements ExecutionCondition,
        BeforeAllCallback,
        AfterAllCallback,
        BeforeEachCallback,
        AfterEachCallback,
        ParameterResolver {

  private static final Namespace NAMESPACE = Namespace.create(NeonRestoredBranchExtension.class);
  private static final String BRANCH = "branch";
  private static final String PERMITS = "permits";

  private final Map<String, String> environment;

  public NeonRestoredBranchExtension() {
    this(System.getenv());
  }

  /** With the environment to fall back on, for tests. */
  NeonRestoredBranchExtension(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
  }

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    if (annotation(context).isEmpty()) {
      return ConditionEvaluationResult.enabled("no @NeonRestoredBranch here");
    }
    JunitConfiguration configuration = configuration(context);
    Optional<String> missing = configuration.missingConfiguration();
    if (missing.isEmpty()) {
      return ConditionEvaluationResult.enabled("Neon is configured");
    }
    return configuration.required()
        ? ConditionEvaluationResult.enabled("required: will fail for want of configuration")
        : ConditionEvaluationResult.disabled("@NeonRestoredBranch: " + missing.get());
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    Optional<NeonRestoredBranch> annotation = classAnnotation(context);
    if (annotation.isEmpty() || annotation.get().springProperties()) {
      return;
    }
    boolean declaredHere =
        AnnotationSupport.isAnnotated(context.getRequiredTestClass(), NeonRestoredBranch.class);
    if (!declaredHere && branch(context).isPresent()) {
      return; // a @Nested class shares the branch of the class that declares the annotation
    }
    if (annotation.get().lifecycle() == NeonRestoredBranch.Lifecycle.PER_CLASS) {
      open(context, annotation.get());
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    Optional<NeonRestoredBranch> onMethod = methodAnnotation(context);
    if (onMethod.isPresent()) {
      if (!onMethod.get().springProperties()) {
        open(context, onMethod.get());
      }
      return;
    }
    Optional<NeonRestoredBranch> onClass = classAnnotation(context);
    if (onClass.isPresent()
        && !onClass.get().springProperties()
        && onClass.get().lifecycle() == NeonRestoredBranch.Lifecycle.PER_METHOD) {
      open(context, onClass.get());
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (context.getExecutionException().isPresent()) {
      branch(context).ifPresent(ScopedBranch::markFailed);
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (context.getExecutionException().isPresent()) {
      branch(context).ifPresent(ScopedBranch::markFailed);
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    // Under Spring the context owns the branch; its beans are Spring's to inject.
    return (type == RestoredBranch.class || type == DataSource.class || type == Connection.class)
        && annotation(context).filter(a -> !a.springProperties()).isPresent();
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    ScopedBranch branch =
        branch(context)
            .orElseThrow(
                () ->
                    new ParameterResolutionException(
                        "@NeonRestoredBranch has no branch in this scope: with lifecycle PER_METHOD there is none"
                            + " before or after all tests; use PER_CLASS for @BeforeAll/@AfterAll parameters"));
    Class<?> type = parameter.getParameter().getType();
    if (type == RestoredBranch.class) {
      return branch.restored();
    }
    if (type == DataSource.class) {
      return branch.restored().dataSource();
    }
    try {
      Connection connection = branch.restored().connect();
      // Closed with the scope that asked for it, before the branch is deleted.
      context
          .getStore(NAMESPACE)
          .put(
              "connection-" + UUID.randomUUID(),
              (ExtensionContext.Store.CloseableResource) connection::close);
      return connection;
    } catch (SQLException e) {
      throw new ParameterResolutionException(
          "could not connect to " + branch.restored() + ": " + e.getMessage(), e);
    }
  }

  private void open(ExtensionContext context, NeonRestoredBranch annotation) {
    JunitConfiguration configuration = configuration(context);
    Optional<String> missing = configuration.missingConfiguration();
    if (missing.isPresent()) {
      throw new ExtensionConfigurationException(
          "@NeonRestoredBranch ("
              + JunitConfiguration.REQUIRED_PROPERTY
              + "=true): "
              + missing.get());
    }
    try {
      ScopedBranch branch =
          ScopedBranch.create(
              configuration.neon(),
              annotation,
              permits(context, configuration),
              context.getUniqueId(),
              context.getRequiredTestClass().getClassLoader(),
              message -> context.publishReportEntry("supaneon", message));
      context.getStore(NAMESPACE).put(BRANCH, branch);
    } catch (SupaneonException e) {
      throw new ExtensionConfigurationException(
          "@NeonRestoredBranch: "
              + e.getMessage()
              + e.suggestion().map(suggestion -> ". " + suggestion).orElse(""),
          e);
    } catch (IllegalArgumentException e) {
      throw new ExtensionConfigurationException(e.getMessage(), e);
    }
  }

  private JunitConfiguration configuration(ExtensionContext context) {
    return JunitConfiguration.of(context, environment);
  }

  /** The run's permits, made by the first scope that needs one, sized by the run's setting. */
  private static BranchPermits permits(ExtensionContext context, JunitConfiguration configuration) {
    int size = configuration.maxBranches();
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(PERMITS, key -> new BranchPermits(size), BranchPermits.class);
  }

  /** The branch of this scope or the nearest enclosing one (the store looks up its parents). */
  private static Optional<ScopedBranch> branch(ExtensionContext context) {
    return Optional.ofNullable(context.getStore(NAMESPACE).get(BRANCH, ScopedBranch.class));
  }

  /** The annotation that governs this context: the method's, else the class's. */
  private static Optional<NeonRestoredBranch> annotation(ExtensionContext context) {
    return methodAnnotation(context).or(() -> classAnnotation(context));
  }

  private static Optional<NeonRestoredBranch> methodAnnotation(ExtensionContext context) {
    return context
        .getTestMethod()
        .flatMap(m -> AnnotationSupport.findAnnotation(m, NeonRestoredBranch.class));
  }

  /** The annotation on the test class, or on a class enclosing it (for @Nested classes). */
  private static Optional<NeonRestoredBranch> classAnnotation(ExtensionContext context) {
    Optional<Class<?>> type = context.getTestClass();
    while (type.isPresent()) {
      Optional<NeonRestoredBranch> found =
          AnnotationSupport.findAnnotation((AnnotatedElement) type.get(), NeonRestoredBranch.class);
      if (found.isPresent()) {
        return found;
      }
      type = Optional.ofNullable(type.get().getEnclosingClass());
    }
    return Optional.empty();
  }
}
