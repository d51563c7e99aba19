package io.sparknn.train.spark;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The first bytes on every connection of a {@link ChannelSession}, a task's to the driver ({@link SocketLink}) and
 * a task's to another ({@link PeerMesh}): the session's 128-bit random token, then a few ints (the sender's
 * partition, and to the driver the port its peers can reach it on), little-endian. The receiver reads them from
 * the socket's own stream with a timeout, so that a connection that never speaks is dropped rather than waited
 * for, and turns away one without the token.
 */
final class ChannelHello {
  private ChannelHello() {}

  /** The hello carrying {@code token} and {@code ints}, ready to write. */
  static ByteBuffer of(long[] token, int... ints) {
    ByteBuffer b = ByteBuffer.allocateDirect(bytes(ints.length)).order(ByteOrder.LITTLE_ENDIAN)
        .putLong(token[0]).putLong(token[1]);
    for (int v : ints) {
      b.putInt(v);
    }
    return b.flip();
  }

  /**
   * Reads a hello of {@code ints} ints from {@code s} within {@code timeoutMs}; returns its ints, or null when
   * its token is not {@code token}.
   */
  static int[] read(Socket s, long[] token, int ints, int timeoutMs) throws IOException {
    s.setSoTimeout(timeoutMs);
    byte[] hello = new byte[bytes(ints)];
    new DataInputStream(s.getInputStream()).readFully(hello);
    s.setSoTimeout(0);
    ByteBuffer h = ByteBuffer.wrap(hello).order(ByteOrder.LITTLE_ENDIAN);
    if (h.getLong() != token[0] || h.getLong() != token[1]) {
      return null;
    }
    int[] values = new int[ints];
    for (int i = 0; i < ints; i++) {
      values[i] = h.getInt();
    }
    return values;
  }

  private static int bytes(int ints) {
    return 2 * Long.BYTES + ints * Integer.BYTES;
  }
}
