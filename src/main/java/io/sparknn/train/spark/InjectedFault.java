package io.sparknn.train.spark;

import java.io.IOException;
import java.io.Serializable;
import java.net.ServerSocket;

/**
 * A failure the tests and the memory soak inject into training tasks to watch the recovery: partition 0's first
 * attempt throws at a chosen iteration, or at every positive multiple of a period. "First attempt" is Spark's
 * task attempt in the per-iteration jobs and the session's generation in a {@link ChannelSession}. With
 * {@code peersUnreachable}, partition 0 of a channel whose tasks add the sums among themselves tells the driver a
 * port nothing listens on, as if a firewall stood between it and its peers.
 */
record InjectedFault(long at, long every, boolean peersUnreachable) implements Serializable {
  static final InjectedFault NONE = new InjectedFault(-1, 0, false);

  void check(long iteration, int partition, int attempt) {
    boolean chosen = iteration == at || (every > 0 && iteration > 0 && iteration % every == 0);
    if (chosen && partition == 0 && attempt == 0) {
      throw new IllegalStateException("injected failure of partition 0 at iteration " + iteration);
    }
  }

  /** The port partition {@code partition} tells the driver its {@link PeerMesh} listens on. */
  int advertisedPeerPort(int partition, int listening) throws IOException {
    if (!peersUnreachable || partition != 0) {
      return listening;
    }
    try (ServerSocket closed = new ServerSocket(0)) {
      return closed.getLocalPort();  // free again once closed: a connection to it is refused
    }
  }
}
