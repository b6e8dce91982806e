package dev.supaneon.junit;

import java.lang.reflect.AnnotatedElement;
import java.util.List;
import java.util.Optional;
import org.junit.platform.commons.support.AnnotationSupport;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;

/**
 * Joins {@code @NeonRestoredBranch(springProperties = true)} to Spring's TestContext framework, as
 * Spring Boot's own test infrastructure does: the branch becomes part of the test context. Test
 * classes with the same branch settings share one context and one branch; classes with other
 * settings get their own. The branch is deleted when Spring closes the context. Registered in
 * {@code META-INF/spring.factories}; loaded only when Spring's test support is on the class path.
 */
public final class NeonBranchContextCustomizerFactory implements ContextCustomizerFactory {

  @Override
  public ContextCustomizer createContextCustomizer(
      Class<?> testClass, List<ContextConfigurationAttributes> configAttributes) {
    return springAnnotation(testClass).map(NeonBranchContextCustomizer::new).orElse(null);
  }

  /** The annotation on the class or an enclosing one, when it asks for Spring's properties. */
  static Optional<NeonRestoredBranch> springAnnotation(Class<?> testClass) {
    for (Class<?> type = testClass; type != null; type = type.getEnclosingClass()) {
      Optional<NeonRestoredBranch> found =
          AnnotationSupport.findAnnotation((AnnotatedElement) type, NeonRestoredBranch.class);
      if (found.isPresent()) {
        return found.filter(NeonRestoredBranch::springProperties);
      }
    }
    return Optional.empty();
  }
}
