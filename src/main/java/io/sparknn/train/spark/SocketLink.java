package io.sparknn.train.spark;

import io.sparknn.tensor.PackedDoubles;
import io.sparknn.tensor.ZeroElidedDoubles;
import io.sparknn.train.PartitionSums;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * A {@link ChannelLink} over one TCP connection between the driver and a task in another JVM, read and written
 * through a {@link SocketChannel} from direct buffers: the kernel copies a 1.4 MB vector in one call straight
 * from or into the buffer the values are packed in, where a socket stream copies it through the heap and a
 * temporary native buffer. Frames, little-endian: a round is {@code ROUND, epoch, step, attempt, length} then
 * the packed weights, a stop is {@code STOP} and four zeros; a reply is {@code form, length, loss sum, rows, load
 * ns, compute ns, state count}, the running statistics, then the packed gradient. A float64 gradient goes without
 * its {@code +0.0} entries ({@link ZeroElidedDoubles}) when that is smaller, as it is for a small batch of images
 * whose blank pixels leave whole columns of the first layer's gradient zero; the sum the driver takes is the same
 * to the bit. The task opens the connection and first sends the session's token, its partition and the port its
 * {@link PeerMesh} listens on (0: none) ({@link #connect}); the driver checks them ({@link #accepted}). When the
 * tasks add up the gradient among themselves, the driver first sends every task the peers' addresses
 * ({@code PEERS, count, 0, 0, length}, then per partition the address's length, its bytes and the port), a round
 * carries only the task's slice of the weights and the reply the task's slice of the summed gradient. Buffers are
 * kept from round to round, so the steady state allocates nothing but the small reply records.
 */
final class SocketLink implements ChannelLink {
  private static final int ROUND = 1;
  private static final int STOP = 2;
  private static final int PEERS = 3;
  private static final int JOINED = 4;
  private static final int ROUND_HEAD = 5 * Integer.BYTES;
  private static final int REPLY_HEAD = 1 + Integer.BYTES + Double.BYTES + Integer.BYTES + 2 * Long.BYTES
      + Integer.BYTES;
  private static final int HANDSHAKE_TIMEOUT_MS = 30_000;
  private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);
  private static final ChannelReply.Form[] FORMS = ChannelReply.Form.values();
  /** Socket buffers that hold a whole 1.4 MB vector, so a writer need not wait for its reader chunk by chunk. */
  static final int SOCKET_BUFFER = 4 << 20;

  private final SocketChannel channel;
  private final ByteBuffer head = direct(Math.max(ROUND_HEAD, REPLY_HEAD));
  private final ByteBuffer[] frame = new ByteBuffer[3];
  private ByteBuffer state = direct(0);
  private ByteBuffer received = direct(0);
  private ByteBuffer packed;
  private ByteBuffer elided;
  /** Driver side: the port the task's {@link PeerMesh} listens on, 0 when it has none. */
  private int peerPort;

  private SocketLink(SocketChannel channel) throws IOException {
    this.channel = channel;
    channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
    channel.setOption(StandardSocketOptions.SO_SNDBUF, SOCKET_BUFFER);
  }

  /**
   * Task side: connects to the driver at {@code host:port} and introduces itself as partition {@code p}, whose
   * {@link PeerMesh} listens on {@code peerPort} (0: none).
   */
  static SocketLink connect(String host, int port, long[] token, int p, int peerPort) throws IOException {
    SocketChannel c = SocketChannel.open();
    try {
      c.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER);
      c.socket().connect(new InetSocketAddress(host, port), HANDSHAKE_TIMEOUT_MS);
      SocketLink link = new SocketLink(c);
      link.write(ChannelHello.of(token, p, peerPort), NOTHING, NOTHING);
      return link;
    } catch (IOException | RuntimeException e) {
      c.close();
      throw e;
    }
  }

  /**
   * Driver side: reads the handshake of a connection a server socket of a {@code ServerSocketChannel} accepted
   * and returns the partition it serves, or -1 (and closes it) when the token is not this session's.
   */
  static int accepted(Socket s, long[] token, ChannelLink[] into) throws IOException {
    int[] hello = ChannelHello.read(s, token, 2, HANDSHAKE_TIMEOUT_MS);
    SocketLink link = new SocketLink(s.getChannel());
    int p = hello == null ? -1 : hello[0];
    if (p < 0 || p >= into.length || into[p] != null) {
      link.close();
      return -1;
    }
    link.peerPort = hello[1];
    into[p] = link;
    return p;
  }

  /** Driver side: where the task's {@link PeerMesh} listens (its host as this end sees it), or null. */
  InetSocketAddress peerAddress() throws IOException {
    InetSocketAddress task = (InetSocketAddress) channel.getRemoteAddress();
    return peerPort == 0 ? null : new InetSocketAddress(task.getAddress(), peerPort);
  }

  /** Driver side: tells the task where every task's {@link PeerMesh} listens, in partition order. */
  void sendPeers(InetSocketAddress[] peers) throws IOException {
    ByteBuffer list = ByteBuffer.allocate(peers.length * (1 + 16 + Integer.BYTES)).order(ByteOrder.LITTLE_ENDIAN);
    for (InetSocketAddress a : peers) {
      byte[] ip = a.getAddress().getAddress();
      list.put((byte) ip.length).put(ip).putInt(a.getPort());
    }
    list.flip();
    head.clear().putInt(PEERS).putInt(peers.length).putInt(0).putInt(0).putInt(list.remaining()).flip();
    write(head, list, NOTHING);
  }

  /** Task side: the addresses {@link #sendPeers} sent, which come before the first round. */
  InetSocketAddress[] nextPeers() throws IOException {
    int kind = readFrameHead();
    int count = head.getInt();
    head.getLong();
    int length = head.getInt();
    if (kind != PEERS || count < 1 || length < 0 || length > count * (1 + 16 + Integer.BYTES)) {
      throw new IOException("expected the peers' addresses, got frame " + kind + " of " + length + " bytes");
    }
    ByteBuffer list = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
    readFully(list);
    list.flip();
    InetSocketAddress[] peers = new InetSocketAddress[count];
    for (int q = 0; q < count; q++) {
      byte[] ip = new byte[list.get()];
      list.get(ip);
      peers[q] = new InetSocketAddress(InetAddress.getByAddress(ip), list.getInt());
    }
    return peers;
  }

  /** Task side: says it linked with every peer ({@code failure} null) or why it could not. */
  void sendJoined(String failure) throws IOException {
    ByteBuffer why = ByteBuffer.wrap((failure == null ? "" : failure).getBytes(StandardCharsets.UTF_8));
    head.clear().putInt(JOINED).putInt(failure == null ? 0 : 1).putInt(0).putInt(0).putInt(why.remaining()).flip();
    write(head, why, NOTHING);
  }

  /** Driver side: null once the task has linked with every peer, else why it could not. */
  String awaitJoined() throws IOException {
    int kind = readFrameHead();
    int failed = head.getInt();
    head.getLong();
    int length = head.getInt();
    if (kind != JOINED || length < 0 || length > 1 << 16) {
      throw new IOException("expected a task's word on its peers, got frame " + kind + " of " + length + " bytes");
    }
    ByteBuffer why = ByteBuffer.allocate(length);
    readFully(why);
    return failed == 0 ? null : new String(why.array(), StandardCharsets.UTF_8);
  }

  @Override
  public void sendRound(ChannelRound round) throws IOException {
    ByteBuffer weights = round.packed().duplicate();  // every link sends the same buffer, each from its own view
    head.clear().putInt(ROUND).putInt(round.epoch()).putInt(round.step()).putInt(round.attempt())
        .putInt(weights.remaining()).flip();
    write(head, weights, NOTHING);
  }

  @Override
  public void sendStop() throws IOException {
    head.clear().putInt(STOP).putInt(0).putInt(0).putInt(0).putInt(0).flip();
    write(head, NOTHING, NOTHING);
  }

  @Override
  public ChannelReply receive() throws IOException {
    readFully(head.clear().limit(REPLY_HEAD));
    head.flip();
    byte form = head.get();
    int length = head.getInt();
    double loss = head.getDouble();
    int rows = head.getInt();
    long loadNs = head.getLong();
    long computeNs = head.getLong();
    int states = head.getInt();
    if (form < 0 || form >= FORMS.length) {
      throw new IOException("unexpected gradient form " + form);
    }
    if (length < 0 || states < 0 || states > Integer.MAX_VALUE / Double.BYTES) {
      throw new IOException("corrupt reply: gradient of " + length + " bytes, " + states + " running statistics");
    }
    state = capacity(state, states * Double.BYTES);
    readFully(state);
    double[] stateSum = new double[states];
    if (states > 0) {
      state.flip().asDoubleBuffer().get(stateSum);
    }
    received = capacity(received, length);
    readFully(received);
    received.flip();
    return new ChannelReply(received, FORMS[form], null, loss, rows, stateSum, loadNs, computeNs);
  }

  @Override
  public ChannelRound nextRound() throws IOException {
    int kind = readFrameHead();
    if (kind == STOP) {
      return null;
    }
    if (kind != ROUND) {
      throw new IOException("unexpected channel frame " + kind);
    }
    int epoch = head.getInt();
    int step = head.getInt();
    int attempt = head.getInt();
    int length = head.getInt();
    if (length < 0) {
      throw new EOFException("negative frame length " + length);
    }
    received = capacity(received, length);
    readFully(received);
    return new ChannelRound(epoch, step, attempt, received.flip(), null, null);
  }

  @Override
  public void reply(PartitionSums sums, WireFormat wire, long loadNs, long computeNs) throws IOException {
    double[] gradient = sums.gradientSum();
    ByteBuffer body = null;
    if (wire == WireFormat.FLOAT64) {
      elided = capacity(elided, ZeroElidedDoubles.maxBytes(gradient.length));
      int length = ZeroElidedDoubles.packInto(elided, gradient);
      if (length < gradient.length * (long) Double.BYTES) {
        body = elided.limit(length);
      }
    }
    ChannelReply.Form form = body == null ? ChannelReply.Form.DENSE : ChannelReply.Form.ZEROS_ELIDED;
    if (body == null) {
      packed = wire.packDirect(packed, gradient);
      body = packed;
    }
    send(form, body, sums, loadNs, computeNs);
  }

  /**
   * Task side: replies with {@code slice}, its share of the sum over every partition ({@link PeerMesh#reduceScatter}),
   * float64 without its {@code +0.0} entries when that is smaller, else packed dense into {@code dense} (at least
   * its 8 bytes a value), and its own partition's loss, rows and running statistics.
   */
  void replySlice(double[] slice, ByteBuffer dense, PartitionSums sums, long loadNs, long computeNs)
      throws IOException {
    elided = capacity(elided, ZeroElidedDoubles.maxBytes(slice.length));
    int length = ZeroElidedDoubles.packInto(elided, slice);
    if (length < slice.length * (long) Double.BYTES) {
      send(ChannelReply.Form.SLICE_ZEROS_ELIDED, elided.limit(length), sums, loadNs, computeNs);
      return;
    }
    PackedDoubles.packInto(dense.clear(), slice);
    send(ChannelReply.Form.SLICE, dense.clear(), sums, loadNs, computeNs);
  }

  private void send(ChannelReply.Form form, ByteBuffer body, PartitionSums sums, long loadNs, long computeNs)
      throws IOException {
    double[] stateSum = sums.stateSum();
    head.clear().put((byte) form.ordinal()).putInt(body.remaining()).putDouble(sums.lossSum()).putInt(sums.rows())
        .putLong(loadNs).putLong(computeNs).putInt(stateSum.length).flip();
    state = capacity(state, stateSum.length * Double.BYTES);
    if (stateSum.length > 0) {
      state.asDoubleBuffer().put(stateSum);
    }
    write(head, state, body);
  }

  /**
   * Reads a five-int frame head (a round, a stop, the peers, a task's word on its peers) and returns its kind;
   * the other four follow in {@code head}.
   */
  private int readFrameHead() throws IOException {
    readFully(head.clear().limit(ROUND_HEAD));
    return head.flip().getInt();
  }

  /** Writes the remaining bytes of {@code a}, then {@code b}'s, then {@code c}'s. */
  private void write(ByteBuffer a, ByteBuffer b, ByteBuffer c) throws IOException {
    frame[0] = a;
    frame[1] = b;
    frame[2] = c;
    while (a.hasRemaining() || b.hasRemaining() || c.hasRemaining()) {
      channel.write(frame);
    }
  }

  private void readFully(ByteBuffer into) throws IOException {
    while (into.hasRemaining()) {
      if (channel.read(into) < 0) {
        throw new EOFException("the other end closed the channel");
      }
    }
  }

  /** {@code buffer} cleared, with its limit at {@code bytes}, or a new direct buffer when it is too small. */
  private static ByteBuffer capacity(ByteBuffer buffer, int bytes) {
    ByteBuffer b = buffer != null && buffer.capacity() >= bytes ? buffer.clear() : direct(bytes);
    return b.limit(bytes);
  }

  private static ByteBuffer direct(int bytes) {
    return ByteBuffer.allocateDirect(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException ignored) {
      // Closing is how a link is broken; there is nothing left to tell the other end.
    }
  }
}
