package io.sparknn.testkit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class or method that takes the shared local Spark ({@link SparkLocal}) as a parameter, and tags
 * it {@code spark} so that a build can select or skip such tests ({@code mvn test -Dgroups=spark}).
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(SparkLocal.class)
@Tag("spark")
public @interface SparkTest {}
