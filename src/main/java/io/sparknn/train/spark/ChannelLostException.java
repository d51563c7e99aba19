package io.sparknn.train.spark;

/**
 * A {@link ChannelSession} broke before an iteration's replies were all in: a task failed or was killed, its
 * executor was lost, or the barrier stage could not start. No reply of that iteration has been used, so the
 * driver can start a new session and run the iteration again.
 */
final class ChannelLostException extends RuntimeException {
  ChannelLostException(String message, Throwable cause) {
    super(message, cause);
  }
}
