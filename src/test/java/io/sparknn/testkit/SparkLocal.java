package io.sparknn.testkit;

import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that hands test methods, constructors and lifecycle methods the JVM's shared local Spark
 * ({@link LocalSpark}) as a {@link SparkSession}, {@link JavaSparkContext} or {@link SparkContext} parameter.
 * Use it as {@code @ExtendWith(SparkLocal.class)} or through {@link SparkTest}. The session lives for the whole
 * JVM; with the configuration parameter {@value #SCOPE}{@code =class} (e.g. in
 * {@code src/test/resources/junit-platform.properties}) it is stopped after each test class instead, for suites
 * whose other tests start SparkContexts of their own.
 */
public final class SparkLocal implements ParameterResolver, AfterAllCallback {
  /** JUnit configuration parameter: {@code jvm} (default) or {@code class}. */
  public static final String SCOPE = "sparknn.testkit.spark.scope";

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == SparkSession.class || type == JavaSparkContext.class || type == SparkContext.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    SparkSession session = LocalSpark.session();
    if (type == SparkSession.class) {
      return session;
    }
    return type == SparkContext.class ? session.sparkContext()
        : JavaSparkContext.fromSparkContext(session.sparkContext());
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if ("class".equals(context.getConfigurationParameter(SCOPE).orElse("jvm"))) {
      LocalSpark.stop();
    }
  }
}
