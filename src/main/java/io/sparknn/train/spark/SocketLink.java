package io.sparknn.train.spark;

import io.sparknn.tensor.ZeroElidedDoubles;
import io.sparknn.train.PartitionSums;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * A {@link ChannelLink} over one TCP connection between the driver and a task in another JVM. Frames: a round is
 * {@code ROUND, epoch, step, attempt, length, bytes} of packed weights, a stop is {@code STOP}; a reply is the
 * packed gradient's {@code form, length, bytes}, then loss sum, rows, running statistics and the two task times.
 * A float64 gradient goes without its {@code +0.0} entries ({@link ZeroElidedDoubles}) when that is smaller, as
 * it is for a small batch of images whose blank pixels leave whole columns of the first layer's gradient zero;
 * the sum the driver takes is the same to the bit. The task opens the connection and first sends the session's
 * token and its partition ({@link #connect}); the driver checks them ({@link #accepted}). Receive buffers are
 * kept and reused from round to round, so the steady state allocates nothing but the small reply records.
 */
final class SocketLink implements ChannelLink {
  private static final int ROUND = 1;
  private static final int STOP = 2;
  private static final byte DENSE = 0;
  private static final byte ZEROS_ELIDED = 1;
  private static final int BUFFER = 1 << 16;
  private static final int HANDSHAKE_TIMEOUT_MS = 30_000;
  /** Socket buffers that hold a whole 1.4 MB vector, so a writer need not wait for its reader chunk by chunk. */
  static final int SOCKET_BUFFER = 4 << 20;

  private final Socket socket;
  private final DataInputStream in;
  private final DataOutputStream out;
  private byte[] received = new byte[0];
  private byte[] receivedElided = new byte[0];
  private byte[] packed;
  private byte[] elided;

  private SocketLink(Socket socket) throws IOException {
    this.socket = socket;
    socket.setTcpNoDelay(true);
    socket.setSendBufferSize(SOCKET_BUFFER);
    this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), BUFFER));
    this.out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), BUFFER));
  }

  /** Task side: connects to the driver at {@code host:port} and introduces itself as partition {@code p}. */
  static SocketLink connect(String host, int port, long[] token, int p) throws IOException {
    Socket s = new Socket();
    try {
      s.setReceiveBufferSize(SOCKET_BUFFER);
      s.connect(new InetSocketAddress(host, port), HANDSHAKE_TIMEOUT_MS);
      SocketLink link = new SocketLink(s);
      link.out.writeLong(token[0]);
      link.out.writeLong(token[1]);
      link.out.writeInt(p);
      link.out.flush();
      return link;
    } catch (IOException | RuntimeException e) {
      s.close();
      throw e;
    }
  }

  /**
   * Driver side: reads the handshake of a connection the server accepted and returns the partition it serves,
   * or -1 (and closes it) when the token is not this session's.
   */
  static int accepted(Socket s, long[] token, ChannelLink[] into) throws IOException {
    s.setSoTimeout(HANDSHAKE_TIMEOUT_MS);
    SocketLink link = new SocketLink(s);
    long a = link.in.readLong();
    long b = link.in.readLong();
    int p = link.in.readInt();
    s.setSoTimeout(0);
    if (a != token[0] || b != token[1] || p < 0 || p >= into.length || into[p] != null) {
      link.close();
      return -1;
    }
    into[p] = link;
    return p;
  }

  @Override
  public void sendRound(ChannelRound round) throws IOException {
    out.writeInt(ROUND);
    out.writeInt(round.epoch());
    out.writeInt(round.step());
    out.writeInt(round.attempt());
    out.writeInt(round.packed().length);
    out.write(round.packed());
    out.flush();
  }

  @Override
  public void sendStop() throws IOException {
    out.writeInt(STOP);
    out.flush();
  }

  @Override
  public ChannelReply receive() throws IOException {
    byte form = in.readByte();
    if (form != DENSE && form != ZEROS_ELIDED) {
      throw new IOException("unexpected gradient form " + form);
    }
    byte[] g;
    int length;
    if (form == DENSE) {
      g = readBytes();
      length = g.length;
    } else {
      length = readLength();
      if (receivedElided.length < length) {
        receivedElided = new byte[length];
      }
      in.readFully(receivedElided, 0, length);
      g = receivedElided;
    }
    double loss = in.readDouble();
    int rows = in.readInt();
    double[] state = new double[in.readInt()];
    for (int i = 0; i < state.length; i++) {
      state[i] = in.readDouble();
    }
    return new ChannelReply(g, length, form == ZEROS_ELIDED, null, loss, rows, state, in.readLong(), in.readLong());
  }

  @Override
  public ChannelRound nextRound() throws IOException {
    int kind = in.readInt();
    if (kind == STOP) {
      return null;
    }
    if (kind != ROUND) {
      throw new IOException("unexpected channel frame " + kind);
    }
    int epoch = in.readInt();
    int step = in.readInt();
    int attempt = in.readInt();
    return new ChannelRound(epoch, step, attempt, readBytes(), null, null);
  }

  @Override
  public void reply(PartitionSums sums, WireFormat wire, long loadNs, long computeNs) throws IOException {
    double[] gradient = sums.gradientSum();
    int length = -1;
    if (wire == WireFormat.FLOAT64) {
      int most = ZeroElidedDoubles.maxBytes(gradient.length);
      if (elided == null || elided.length != most) {
        elided = new byte[most];
      }
      length = ZeroElidedDoubles.packInto(elided, gradient);
    }
    if (length >= 0 && length < gradient.length * (long) Double.BYTES) {
      out.writeByte(ZEROS_ELIDED);
      out.writeInt(length);
      out.write(elided, 0, length);
    } else {
      packed = wire.packInto(packed, gradient);
      out.writeByte(DENSE);
      out.writeInt(packed.length);
      out.write(packed);
    }
    out.writeDouble(sums.lossSum());
    out.writeInt(sums.rows());
    double[] state = sums.stateSum();
    out.writeInt(state.length);
    for (double v : state) {
      out.writeDouble(v);
    }
    out.writeLong(loadNs);
    out.writeLong(computeNs);
    out.flush();
  }

  private byte[] readBytes() throws IOException {
    int n = readLength();
    if (received.length != n) {
      received = new byte[n];
    }
    in.readFully(received);
    return received;
  }

  private int readLength() throws IOException {
    int n = in.readInt();
    if (n < 0) {
      throw new EOFException("negative frame length " + n);
    }
    return n;
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // Closing is how a link is broken; there is nothing left to tell the other end.
    }
  }
}
