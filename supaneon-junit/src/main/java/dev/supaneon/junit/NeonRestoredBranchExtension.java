package dev.supaneon.junit;

import dev.supaneon.core.SupaneonException;
import java.lang.reflect.AnnotatedElement;
import java.sql.Connection;
import java.sql.SQLException;
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
 * deletes it, when the scope ends, whatever the outcome. Nothing is shared between scopes, so tests
 * may run in parallel.
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

  private final JunitConfiguration configuration;

  public NeonRestoredBranchExtension() {
    this(JunitConfiguration.fromSystem());
  }

  NeonRestoredBranchExtension(JunitConfiguration configuration) {
    this.configuration = configuration;
  }

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    Optional<String> missing = configuration.missingConfiguration();
    if (missing.isEmpty() || annotation(context).isEmpty()) {
      return ConditionEvaluationResult.enabled("Neon is configured");
    }
    return configuration.required()
        ? ConditionEvaluationResult.enabled("required: will fail for want of configuration")
        : ConditionEvaluationResult.disabled("@NeonRestoredBranch: " + missing.get());
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    Optional<NeonRestoredBranch> annotation = classAnnotation(context);
    if (annotation.isPresent()
        && annotation.get().lifecycle() == NeonRestoredBranch.Lifecycle.PER_CLASS) {
      open(context, annotation.get());
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    Optional<NeonRestoredBranch> onMethod = methodAnnotation(context);
    if (onMethod.isPresent()) {
      open(context, onMethod.get());
      return;
    }
    Optional<NeonRestoredBranch> onClass = classAnnotation(context);
    if (onClass.isPresent()
        && onClass.get().lifecycle() == NeonRestoredBranch.Lifecycle.PER_METHOD) {
      open(context, onClass.get());
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (context.getExecutionException().isPresent()) {
      branch(context).ifPresent(TestBranch::markFailed);
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (context.getExecutionException().isPresent()) {
      branch(context).ifPresent(TestBranch::markFailed);
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return (type == RestoredBranch.class || type == DataSource.class || type == Connection.class)
        && annotation(context).isPresent();
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    TestBranch branch =
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
    Optional<String> missing = configuration.missingConfiguration();
    if (missing.isPresent()) {
      throw new ExtensionConfigurationException(
          "@NeonRestoredBranch ("
              + JunitConfiguration.REQUIRED_PROPERTY
              + "=true): "
              + missing.get());
    }
    try {
      TestBranch branch =
          TestBranch.create(
              configuration,
              annotation,
              context.getUniqueId(),
              context.getRequiredTestClass().getClassLoader(),
              message -> context.publishReportEntry("supaneon", message));
      context.getStore(NAMESPACE).put(BRANCH, branch);
    } catch (SupaneonException | IllegalArgumentException e) {
      throw new ExtensionConfigurationException(e.getMessage(), e);
    }
  }

  /** The branch of this scope or the nearest enclosing one (the store looks up its parents). */
  private static Optional<TestBranch> branch(ExtensionContext context) {
    return Optional.ofNullable(context.getStore(NAMESPACE).get(BRANCH, TestBranch.class));
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
