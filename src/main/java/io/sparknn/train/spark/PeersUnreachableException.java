package io.sparknn.train.spark;

/**
 * The tasks of a {@link ChannelSession} that were to add the sums among themselves ({@link PeerMesh}) could not
 * all link up: some executor cannot reach another on the port it listens on (a firewall that allows only
 * Spark's own ports, say). Nothing was computed; the caller can open a session whose driver adds the sums.
 */
final class PeersUnreachableException extends RuntimeException {
  PeersUnreachableException(String message) {
    super(message);
  }
}
