package io.sparknn.testkit;

import io.sparknn.run.SparkSetup;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * The one local-mode {@link SparkSession} a test JVM shares: started on first use with {@link #defaultConf()}
 * ({@code local[2,3]}: two task slots, a failed task retried up to three attempts; no UI; Spark's log at WARN;
 * the settings sparknn's jobs use, from {@link SparkSetup#settings()}), and kept until {@link #stop()} or the
 * JVM's end. Asking for another configuration (Kryo, say) stops the shared session and starts one with it: a
 * JVM can run only one SparkContext. Tests that build their own context must call {@link #stop()} first.
 */
public final class LocalSpark {
  /** Two task slots, and up to three attempts per task so that fault-injection tests see real retries. */
  public static final String MASTER = "local[2,3]";

  private static SparkSession session;
  private static Set<String> startedWith;

  private LocalSpark() {}

  /** The configuration of the shared session: a fresh copy, to extend (e.g. with Kryo) and pass back. */
  public static SparkConf defaultConf() {
    SparkConf conf = new SparkConf()
        .setMaster(MASTER)
        .setAppName("sparknn tests")
        .set("spark.ui.enabled", "false")
        .set("spark.ui.showConsoleProgress", "false")
        .set("spark.driver.host", "127.0.0.1")
        .set("spark.log.level", "WARN");
    SparkSetup.settings().forEach(conf::setIfMissing);
    return conf;
  }

  /** The shared session with {@link #defaultConf()}. */
  public static SparkSession session() {
    return session(defaultConf());
  }

  /** The shared session if it runs with {@code conf}'s settings, else a new one with them. */
  public static synchronized SparkSession session(SparkConf conf) {
    Set<String> wanted = settings(conf);
    if (session != null && !session.sparkContext().isStopped() && wanted.equals(startedWith)) {
      return session;
    }
    stop();
    session = SparkSession.builder().config(conf).getOrCreate();
    startedWith = wanted;
    return session;
  }

  /** The shared session's context, for the RDD API sparknn's trainers take. */
  public static JavaSparkContext context() {
    return JavaSparkContext.fromSparkContext(session().sparkContext());
  }

  /** {@link #context()} of {@link #session(SparkConf)}. */
  public static JavaSparkContext context(SparkConf conf) {
    return JavaSparkContext.fromSparkContext(session(conf).sparkContext());
  }

  /** Stops the shared session, if any; the next request starts a new one. */
  public static synchronized void stop() {
    if (session != null) {
      session.stop();
      session = null;
      startedWith = null;
    }
    SparkSession.clearActiveSession();
    SparkSession.clearDefaultSession();
  }

  private static Set<String> settings(SparkConf conf) {
    return Arrays.stream(conf.getAll()).map(t -> t._1() + "=" + t._2()).collect(Collectors.toSet());
  }
}
