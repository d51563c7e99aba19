package io.sparknn.train.spark;

import io.sparknn.tensor.PackedDoubles;
import io.sparknn.tensor.ZeroElidedDoubles;
import io.sparknn.train.PairwiseSum;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The links among a {@link ChannelSession}'s tasks when they add up the gradient themselves
 * ({@link Aggregation#SLICED} over the channel), so that the driver sends and receives {@code |w|} values per
 * iteration whatever the number of tasks {@code P}. Every task listens on a port of its own, tells the driver,
 * learns every other task's address from it ({@link #join}) and opens one connection to each: it writes to the
 * connections it opened and reads from those it accepted. The vectors are cut into {@code P} contiguous slices
 * ({@link SliceRecord#start}); task {@code p} owns slice {@code p}. {@link #allGather} gives every task the whole
 * weight vector from the one slice the driver sent each; {@link #reduceScatter} leaves task {@code p} slice
 * {@code p} of the sum over every partition, added in partition order from zero whatever order the slices arrive
 * in: the additions the driver makes on the direct path, so the same bits. Each task moves {@code (P−1)/P·|w|}
 * values each way per exchange, a gradient slice fewer bytes when it leaves out its {@code +0.0} entries. Writes
 * run on a thread of their own while the task's thread reads, so two tasks sending each other more than a socket
 * buffer holds never both wait.
 */
final class PeerMesh implements AutoCloseable {
  private static final int WEIGHTS = 1;
  private static final int GRADIENT = 2;
  /** A gradient slice without its {@code +0.0} entries ({@link ZeroElidedDoubles}), sent when that is smaller. */
  private static final int GRADIENT_ELIDED = 3;
  private static final int HEAD = 2 * Integer.BYTES;
  private static final double[] NO_VALUES = new double[0];
  private static final int CONNECT_TIMEOUT_MS = 30_000;
  private static final int ACCEPT_POLL_MS = 100;
  private static final long WRITER_STOP_MS = 5_000;
  /** Room for every peer's connection to wait until it is accepted (the kernel caps it at its own limit). */
  private static final int BACKLOG = 4096;

  private final ServerSocketChannel listener;
  private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "sparknn-peer-writer");
    t.setDaemon(true);
    return t;
  });
  private final ByteBuffer readHead = direct(HEAD);
  private final ByteBuffer writeHead = direct(HEAD);
  private final ByteBuffer[] frame = new ByteBuffer[2];
  private SocketChannel[] out = new SocketChannel[0];
  private SocketChannel[] in = new SocketChannel[0];
  private int self;
  private ByteBuffer incoming;
  private ByteBuffer outgoing;
  private long gradientBytesSent;
  private final PairwiseSum tree = new PairwiseSum();

  private PeerMesh(ServerSocketChannel listener) {
    this.listener = listener;
  }

  /** Opens the listening socket on every interface of this host, on a free port. */
  static PeerMesh listen() throws IOException {
    ServerSocketChannel l = ServerSocketChannel.open();
    try {
      l.setOption(StandardSocketOptions.SO_RCVBUF, SocketLink.SOCKET_BUFFER);
      l.bind(new InetSocketAddress(0), BACKLOG);
      return new PeerMesh(l);
    } catch (IOException | RuntimeException e) {
      l.close();
      throw e;
    }
  }

  int port() {
    return listener.socket().getLocalPort();
  }

  /**
   * Links this task, partition {@code self}, with every other: connects to each address in {@code peers} but its
   * own and introduces itself with {@code token}; accepts one connection from each of the others, turning away any
   * that does not show the token or names a partition already linked.
   */
  void join(InetSocketAddress[] peers, long[] token, int self) throws IOException {
    this.self = self;
    int n = peers.length;
    out = new SocketChannel[n];
    in = new SocketChannel[n];
    for (int q = 0; q < n; q++) {
      if (q == self) {
        continue;
      }
      SocketChannel c = SocketChannel.open();
      out[q] = c;
      c.setOption(StandardSocketOptions.TCP_NODELAY, true);
      c.setOption(StandardSocketOptions.SO_SNDBUF, SocketLink.SOCKET_BUFFER);
      c.socket().connect(peers[q], CONNECT_TIMEOUT_MS);
      ByteBuffer hello = ChannelHello.of(token, self);
      while (hello.hasRemaining()) {
        c.write(hello);
      }
    }
    // Short polls, so that a task Spark kills (its thread interrupted) stops waiting at once.
    listener.socket().setSoTimeout(ACCEPT_POLL_MS);
    long deadline = System.nanoTime() + CONNECT_TIMEOUT_MS * 1_000_000L;
    for (int linked = 0; linked < n - 1; ) {
      Socket s;
      try {
        s = listener.socket().accept();
      } catch (SocketTimeoutException e) {
        if (Thread.currentThread().isInterrupted()) {
          throw new InterruptedIOException("partition " + self + " was stopped while its peers connected");
        }
        if (System.nanoTime() > deadline) {
          throw new IOException("partition " + self + ": " + linked + " of " + (n - 1) + " peers connected within "
              + CONNECT_TIMEOUT_MS + " ms", e);
        }
        continue;
      }
      int[] hello = ChannelHello.read(s, token, 1, CONNECT_TIMEOUT_MS);
      int q = hello == null ? -1 : hello[0];
      if (q < 0 || q >= n || q == self || in[q] != null) {
        s.close();
        continue;
      }
      in[q] = s.getChannel();
      linked++;
    }
  }

  /**
   * Fills {@code whole} (from position 0 to its limit) with {@code own}, this task's slice as the driver sent it,
   * and every other task's; {@code starts} are the slices' first bytes, {@code P + 1} of them.
   */
  void allGather(ByteBuffer own, ByteBuffer whole, int[] starts) throws IOException {
    if (own.remaining() != starts[self + 1] - starts[self]) {
      throw new IOException("partition " + self + " received " + own.remaining() + " bytes of weights, expected "
          + "its slice's " + (starts[self + 1] - starts[self]));
    }
    whole.put(starts[self], own, own.position(), own.remaining());
    Future<Void> sent = writer.submit(() -> {
      for (int k = 1; k < out.length; k++) {
        int q = (self + k) % out.length;
        send(out[q], WEIGHTS, range(whole, starts, self));
      }
      return null;
    });
    for (int q = 0; q < in.length; q++) {
      if (q != self) {
        receive(in[q], WEIGHTS, range(whole, starts, q));
      }
    }
    await(sent);
  }

  /**
   * Sends slice {@code q} of {@code values} (a partition's gradient sum, {@code starts} the slices' first bytes
   * as float64) to task {@code q}, without its {@code +0.0} entries when that is smaller, and writes to
   * {@code sum} the sum of slice {@code self} over every partition: zeroed, then each partition's slice added in
   * partition order (a slice without its zeros adds to the same bits).
   */
  void reduceScatter(double[] values, int[] starts, double[] sum) throws IOException {
    reduceScatter(values, starts, sum, null);
  }

  /**
   * As {@link #reduceScatter(double[], int[], double[])}, the slices added along the fixed row shards' tree
   * ({@link PairwiseSum}), partition {@code p}'s a node of {@code spans[p]} shards, unless {@code spans} is null:
   * as the driver would add whole sums.
   */
  void reduceScatter(double[] values, int[] starts, double[] sum, int[] spans) throws IOException {
    boolean alongTheTree = spans != null;
    int largest = 0;
    for (int q = 0; q < out.length; q++) {
      largest = Math.max(largest, (starts[q + 1] - starts[q]) / Double.BYTES);
    }
    int room = ZeroElidedDoubles.maxBytes(largest);
    outgoing = outgoing != null && outgoing.capacity() >= room ? outgoing : direct(room);
    Future<Void> sent = writer.submit(() -> {
      for (int k = 1; k < out.length; k++) {
        int q = (self + k) % out.length;
        int n = (starts[q + 1] - starts[q]) / Double.BYTES;
        int from = starts[q] / Double.BYTES;
        int length = ZeroElidedDoubles.packInto(outgoing.clear(), values, from, n);
        boolean elided = length < n * Double.BYTES;
        if (!elided) {
          outgoing.clear().asDoubleBuffer().put(values, from, n);
          length = n * Double.BYTES;
        }
        gradientBytesSent += length;
        send(out[q], elided ? GRADIENT_ELIDED : GRADIENT, outgoing.limit(length));
      }
      return null;
    });
    Arrays.fill(sum, 0.0);
    int n = sum.length;
    int own = starts[self] / Double.BYTES;
    int most = ZeroElidedDoubles.maxBytes(n);
    incoming = incoming != null && incoming.capacity() >= most ? incoming : direct(most);
    if (alongTheTree) {
      tree.reset(n, 0);
    }
    for (int q = 0; q < in.length; q++) {
      if (q == self) {
        if (alongTheTree) {
          System.arraycopy(values, own, tree.next(), 0, n);
          tree.commit(0, 0, NO_VALUES, spans[q]);
        } else {
          for (int i = 0; i < n; i++) {
            sum[i] += values[own + i];
          }
        }
        continue;
      }
      boolean elided = receiveSlice(in[q], n, incoming.clear());
      ByteBuffer slice = incoming.flip();
      try {
        if (alongTheTree) {
          if (elided) {
            ZeroElidedDoubles.unpack(slice, slice.remaining(), tree.next(), 0, n);
          } else {
            PackedDoubles.unpack(slice, 0, tree.next());
          }
          tree.commit(0, 0, NO_VALUES, spans[q]);
        } else if (elided) {
          ZeroElidedDoubles.addTo(slice, slice.remaining(), sum, 0, n);
        } else {
          PackedDoubles.addTo(slice, 0, sum);
        }
      } catch (IllegalArgumentException e) {
        throw new IOException("partition " + self + " could not read partition " + q + "'s gradient slice: "
            + e.getMessage(), e);
      }
    }
    if (alongTheTree) {
      System.arraycopy(tree.gradient(), 0, sum, 0, sum.length);
    }
    await(sent);
  }

  /**
   * Bytes of gradient slices this task has sent its peers (frames' bodies): fewer than the dense
   * {@code (P−1)/P·|w|} values a round where the slices had zeros to leave out.
   */
  long gradientBytesSent() {
    return gradientBytesSent;
  }

  /**
   * Reads a peer's slice of {@code n} values into {@code into} (room for it without its zeros left out); returns
   * whether it came without its zeros.
   */
  private boolean receiveSlice(SocketChannel c, int n, ByteBuffer into) throws IOException {
    readFully(c, readHead.clear());
    readHead.flip();
    int k = readHead.getInt();
    int length = readHead.getInt();
    boolean elided = k == GRADIENT_ELIDED;
    int most = ZeroElidedDoubles.maxBytes(n);
    if (!(elided || k == GRADIENT) || (elided ? length < 0 || length > most : length != n * Double.BYTES)) {
      throw new IOException("partition " + self + " expected a gradient slice of " + n + " values from a peer ("
          + n * Double.BYTES + " bytes, or at most " + most + " without its zeros), got frame " + k + " of "
          + length);
    }
    into.limit(length);
    readFully(c, into);
    return elided;
  }

  private static ByteBuffer range(ByteBuffer b, int[] starts, int q) {
    return b.duplicate().limit(starts[q + 1]).position(starts[q]);
  }

  private void send(SocketChannel c, int kind, ByteBuffer body) throws IOException {
    writeHead.clear().putInt(kind).putInt(body.remaining()).flip();
    frame[0] = writeHead;
    frame[1] = body;
    while (writeHead.hasRemaining() || body.hasRemaining()) {
      c.write(frame);
    }
  }

  private void receive(SocketChannel c, int kind, ByteBuffer into) throws IOException {
    readFully(c, readHead.clear());
    readHead.flip();
    int k = readHead.getInt();
    int length = readHead.getInt();
    if (k != kind || length != into.remaining()) {
      throw new IOException("partition " + self + " expected " + into.remaining() + " bytes of "
          + (kind == WEIGHTS ? "weights" : "gradient") + " from a peer, got frame " + k + " of " + length);
    }
    readFully(c, into);
  }

  private static void readFully(SocketChannel c, ByteBuffer into) throws IOException {
    while (into.hasRemaining()) {
      if (c.read(into) < 0) {
        throw new EOFException("a peer closed its link");
      }
    }
  }

  private static void await(Future<Void> sent) throws IOException {
    try {
      sent.get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while sending to the peers");
    }
  }

  private static ByteBuffer direct(int bytes) {
    return ByteBuffer.allocateDirect(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }

  /**
   * Closes every link and the listening socket; a peer reading or writing then fails instead of waiting. Waits a
   * little for this task's writer to stop, so that it no longer reads the gradient it was sending once the task
   * hands its model on.
   */
  @Override
  public void close() {
    writer.shutdownNow();
    closeAll(out);
    closeAll(in);
    try {
      writer.awaitTermination(WRITER_STOP_MS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      listener.close();
    } catch (IOException ignored) {
      // Nothing listens any more either way.
    }
  }

  private static void closeAll(SocketChannel[] channels) {
    for (SocketChannel c : channels) {
      if (c != null) {
        try {
          c.close();
        } catch (IOException ignored) {
          // Closing is how a link is broken.
        }
      }
    }
  }
}
