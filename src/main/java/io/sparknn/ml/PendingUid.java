package io.sparknn.ml;

/**
 * Hands a Java estimator's or model's uid to Spark's parameter set-up, which runs inside the superclass
 * constructor. Spark's shared parameters ({@code featuresCol}, {@code predictionCol}, ...) are created there and
 * record {@code uid()} as their owner; a Java subclass cannot assign a field before its superclass constructor
 * runs, so the public constructor parks the uid here (as an argument to {@code this(...)}, evaluated before the
 * superclass starts) and {@code uid()} takes it on first call.
 */
final class PendingUid {
  private static final ThreadLocal<String> PENDING = new ThreadLocal<>();

  private PendingUid() {}

  /** Parks {@code uid} for the constructor about to run on this thread, and returns it. */
  static String park(String uid) {
    if (uid == null || uid.isEmpty()) {
      throw new IllegalArgumentException("a uid must be a non-empty string, got " + uid);
    }
    PENDING.set(uid);
    return uid;
  }

  /** The parked uid (then cleared), or {@code fallback} when none is parked. */
  static String take(String fallback) {
    String uid = PENDING.get();
    PENDING.remove();
    return uid != null ? uid : fallback;
  }
}
