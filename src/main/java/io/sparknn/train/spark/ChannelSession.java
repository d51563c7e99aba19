package io.sparknn.train.spark;

import io.sparknn.data.Dataset;
import io.sparknn.train.GradientSum;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.SparkContext;
import org.apache.spark.rdd.RDD;
import scala.reflect.ClassTag$;

/**
 * The driver's side of one barrier stage of long-lived training tasks ({@link Exchange#CHANNEL}): a job with one
 * {@link ChannelTask} per partition of the cached training data, all running at once, each linked to the driver
 * ({@link SameJvmLink} in local mode, else a {@link SocketLink} to a server socket this session opens on the
 * driver's host, guarded by a random token). Each {@link #round} sends the weights to every task and adds the
 * replies in partition order, so the sum is the jobs path's to the bit; or, with {@link Aggregation#SLICED} over
 * TCP, sends task {@code p} slice {@code p} of the weights and takes back slice {@code p} of the sum the tasks
 * added among themselves in partition order ({@link PeerMesh}): the same bits, {@code |w|} values each way
 * whatever the number of tasks. A task's failure, a lost executor or a
 * stage that cannot start breaks the session ({@link ChannelLostException}); the caller then {@link #abort}s it
 * and opens another. The job runs on a thread of its own, in a job group of its own so that aborting can cancel
 * it.
 */
final class ChannelSession implements AutoCloseable {
  private static final long ACCEPT_POLL_MS = 200;

  private final SparkContext sc;
  private final String id = UUID.randomUUID().toString();
  private final ChannelLink[] links;
  private final ServerSocket server;
  private final Thread job;
  private final long timeoutMs;
  private final long[] token;
  // Over TCP every link but partition 0's writes and reads on a thread of its own, so the tasks start and finish
  // together instead of one after the other behind the driver's copies; null in the same JVM, where a hand-over
  // is free.
  private final ExecutorService io;
  // Over TCP with the sums added among the tasks: each task gets one slice of the weights and returns one slice
  // of the summed gradient.
  private final boolean sliced;
  private ByteBuffer packed;
  private ByteBuffer[] weightSlices;  // views of packed, one per task, kept while packed is the same buffer
  private final ChannelRound[] rounds;
  private volatile Throwable failure;
  private volatile boolean ended;

  private ChannelSession(SparkContext sc, RDD<Dataset> data, ChannelWork work, long timeoutMs) throws IOException {
    this.sc = sc;
    this.timeoutMs = timeoutMs;
    int partitions = data.partitions().length;
    if (SameJvmResults.usable(sc)) {
      links = SameJvmLink.open(id, partitions);
      server = null;
      token = new long[2];
      io = null;
    } else {
      // P threads: P - 1 for the rounds, all P while the tasks report whether they linked with their peers
      io = Executors.newFixedThreadPool(partitions, r -> {
        Thread t = new Thread(r, "sparknn-channel-io");
        t.setDaemon(true);
        return t;
      });
      links = new ChannelLink[partitions];
      // A channel's server, so that the accepted sockets have channels to read into direct buffers.
      ServerSocketChannel listener = ServerSocketChannel.open();
      listener.setOption(StandardSocketOptions.SO_RCVBUF, SocketLink.SOCKET_BUFFER);  // inherited when accepted
      listener.bind(new InetSocketAddress(InetAddress.getByName(sc.conf().get("spark.driver.host")), 0),
          partitions * 2);
      server = listener.socket();
      SecureRandom random = new SecureRandom();
      token = new long[] {random.nextLong(), random.nextLong()};
    }
    sliced = server != null && work.aggregation() == Aggregation.SLICED;
    rounds = new ChannelRound[partitions];
    String host = server == null ? null : server.getInetAddress().getHostAddress();
    int port = server == null ? 0 : server.getLocalPort();
    RDD<Object> stage = data.barrier().mapPartitions(new ChannelTask(work, id, host, port, token), false,
        ClassTag$.MODULE$.AnyRef());
    this.job = new Thread(() -> runJob(stage), "sparknn-channel-" + id);
    job.setDaemon(true);
    job.start();
  }

  /**
   * Starts the barrier stage over {@code data} (whose partitions must all fit the cluster's task slots at once:
   * the caller checks) and waits until every task has connected.
   */
  static ChannelSession open(SparkContext sc, RDD<Dataset> data, ChannelWork work, long timeoutMs) {
    ChannelSession session;
    try {
      session = new ChannelSession(sc, data, work, timeoutMs);
    } catch (IOException e) {
      throw new ChannelLostException("could not open the training channel: " + e.getMessage(), e);
    }
    try {
      if (session.server != null) {
        session.acceptAll();
      }
      if (session.sliced) {
        session.introducePeers();
      }
      return session;
    } catch (IOException | RuntimeException e) {
      session.abort();
      if (e instanceof PeersUnreachableException u) {
        throw u;
      }
      throw e instanceof ChannelLostException c ? c : session.lost("the tasks could not connect", e);
    }
  }

  private void runJob(RDD<Object> stage) {
    try {
      sc.setJobGroup(id, "sparknn: training tasks of one epoch, linked to the driver", true);
      PartitionJobs.onePerPartition(sc, stage, Object.class);  // no ClosureCleaner pass, unlike count()
    } catch (Throwable t) {
      failure = t;
      breakLinks();
    } finally {
      ended = true;
    }
  }

  private void acceptAll() throws IOException {
    server.setSoTimeout((int) ACCEPT_POLL_MS);
    int connected = 0;
    // The timeout counts only while every task is running: a stage still waiting for free slots (behind another
    // job) is not a broken one.
    long waitedNs = 0;
    long last = System.nanoTime();
    while (connected < links.length) {
      if (ended) {
        throw lost("the training stage ended before every task connected", null);
      }
      long now = System.nanoTime();
      if (runningTasks() >= links.length) {
        waitedNs += now - last;
      }
      last = now;
      if (waitedNs > timeoutMs * 1_000_000) {
        throw lost(connected + " of " + links.length + " running tasks connected within " + timeoutMs + " ms", null);
      }
      try {
        Socket s = server.accept();
        if (SocketLink.accepted(s, token, links) >= 0) {
          connected++;
        }
      } catch (SocketTimeoutException e) {
        // Poll again: the stage may still be starting, or may have failed.
      }
    }
  }

  /** Sends every task the address of every task's {@link PeerMesh}, so they can link up among themselves. */
  private void introducePeers() throws IOException {
    InetSocketAddress[] peers = new InetSocketAddress[links.length];
    for (int p = 0; p < links.length; p++) {
      peers[p] = ((SocketLink) links[p]).peerAddress();
      if (peers[p] == null) {
        throw new IOException("partition " + p + " did not say where its peers can reach it");
      }
    }
    for (ChannelLink link : links) {
      ((SocketLink) link).sendPeers(peers);
    }
    // Each task says whether it linked with every peer; the first that could not ends the wait, since one that
    // did link may still be waiting for it.
    CompletionService<String> joined = new ExecutorCompletionService<>(io);
    for (ChannelLink link : links) {
      joined.submit(((SocketLink) link)::awaitJoined);
    }
    try {
      for (int i = 0; i < links.length; i++) {
        String failure = joined.take().get();
        if (failure != null) {
          throw new PeersUnreachableException(failure);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while the tasks linked with their peers", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException broken ? broken : new IOException(e.getCause());
    }
  }

  /** Tasks of this session's stage running now, as Spark's status tracker sees them. */
  private int runningTasks() {
    int running = 0;
    for (int jobId : sc.statusTracker().getJobIdsForGroup(id)) {
      scala.Option<org.apache.spark.SparkJobInfo> job = sc.statusTracker().getJobInfo(jobId);
      if (job.isDefined()) {
        for (int stageId : job.get().stageIds()) {
          scala.Option<org.apache.spark.SparkStageInfo> stage = sc.statusTracker().getStageInfo(stageId);
          running += stage.isDefined() ? stage.get().numActiveTasks() : 0;
        }
      }
    }
    return running;
  }

  /**
   * Runs one iteration: every task computes its share of ({@code epoch}, {@code step}) from the driver's
   * {@code parameters} and {@code state} (packed in {@code wire}, unless a float64 round stays in the JVM); each
   * task's sums are added to {@code sum} as they arrive, in partition order. Adds to {@code times} the packing
   * (as the broadcast's time), the round (as the job's) and the bytes that crossed the network; the tasks' own
   * times to {@code clock}.
   */
  void round(int epoch, int step, int attempt, double[] parameters, double[] state, WireFormat wire,
      GradientSum sum, IterationTimes times, TaskClock clock) {
    long t0 = System.nanoTime();
    if (server == null && wire == WireFormat.FLOAT64) {
      Arrays.fill(rounds, new ChannelRound(epoch, step, attempt, null, parameters, state));
    } else {
      ByteBuffer before = packed;
      packed = wire.packDirect(packed, parameters, state);
      if (!sliced) {
        Arrays.fill(rounds, new ChannelRound(epoch, step, attempt, packed, null, null));
      } else {
        if (packed != before || weightSlices == null) {
          weightSlices = slices(packed, parameters.length + state.length);
        }
        for (int p = 0; p < links.length; p++) {
          rounds[p] = new ChannelRound(epoch, step, attempt, weightSlices[p], null, null);
        }
      }
    }
    long t1 = System.nanoTime();
    try {
      // Over TCP this thread serves partition 0 itself and a link thread each of the others: a thread handed
      // work starts late on a busy machine, and handing a reply back costs another wake-up.
      List<Future<ChannelReply>> pending = new ArrayList<>(links.length);
      pending.add(null);
      for (int p = 1; p < links.length; p++) {
        ChannelLink link = links[p];
        ChannelRound r = rounds[p];
        if (io == null) {
          link.sendRound(r);
          pending.add(null);
        } else {
          pending.add(io.submit(() -> {
            link.sendRound(r);
            return link.receive();
          }));
        }
      }
      links[0].sendRound(rounds[0]);
      // Partition order, always: the sum does not depend on which task finished first.
      for (int p = 0; p < links.length; p++) {
        ChannelReply reply = pending.get(p) == null ? links[p].receive() : pending.get(p).get();
        int sliceFrom = SliceRecord.start(p, links.length, parameters.length);
        reply.addTo(sum, sliceFrom, SliceRecord.start(p + 1, links.length, parameters.length) - sliceFrom);
        times.resultBytes += reply.gradientBytes();
        clock.addWeights(reply.loadNs());
        clock.addCompute(reply.computeNs());
      }
    } catch (ExecutionException e) {
      throw lost("the channel broke at epoch " + epoch + ", step " + step, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw lost("interrupted at epoch " + epoch + ", step " + step, e);
    } catch (IOException | RuntimeException e) {
      throw lost("the channel broke at epoch " + epoch + ", step " + step, e);
    }
    if (server != null) {
      times.weightBytes += sliced ? packed.remaining() : (long) packed.remaining() * links.length;
    }
    times.broadcastNs += t1 - t0;
    times.jobNs += System.nanoTime() - t1;
  }

  /** Views of {@code packed}'s {@code values} values cut in one slice per task, as {@link PeerMesh} cuts them. */
  private ByteBuffer[] slices(ByteBuffer packed, int values) {
    int[] starts = SliceRecord.byteStarts(links.length, values, packed.remaining() / values);
    ByteBuffer[] views = new ByteBuffer[links.length];
    for (int p = 0; p < links.length; p++) {
      views[p] = packed.duplicate().limit(starts[p + 1]).position(starts[p]);
    }
    return views;
  }

  /** This session's id, also its job group's. */
  String id() {
    return id;
  }

  /** Tells every task to stop and waits for the stage to finish. */
  @Override
  public void close() {
    try {
      for (ChannelLink link : links) {
        if (link != null) {
          link.sendStop();
        }
      }
      join();
      if (failure != null) {
        throw lost("the training stage failed after its last round", failure);
      }
    } catch (IOException e) {
      throw lost("could not stop the training tasks", e);
    } finally {
      release();
    }
  }

  /** Breaks every link, cancels the stage and waits for it to end; never throws. */
  void abort() {
    breakLinks();
    try {
      sc.cancelJobGroup(id);
      join();
    } catch (RuntimeException e) {
      // The session is being given up; its failure has already been reported.
    } finally {
      release();
    }
  }

  private void join() {
    try {
      job.join(timeoutMs);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void breakLinks() {
    for (ChannelLink link : links) {
      if (link != null) {
        link.close();
      }
    }
  }

  private void release() {
    breakLinks();
    if (io != null) {
      io.shutdownNow();
    }
    SameJvmLink.forget(id);
    if (server != null) {
      try {
        server.close();
      } catch (IOException ignored) {
        // Nothing listens any more either way.
      }
    }
  }

  private ChannelLostException lost(String what, Throwable cause) {
    if (cause != null && !ended) {
      // A broken link usually means the stage is failing: give Spark a moment to say why.
      try {
        job.join(Math.min(timeoutMs, 10_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    Throwable why = failure != null ? failure : cause;
    return new ChannelLostException(what + (why == null ? "" : ": " + rootMessage(why)), why);
  }

  private static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return String.valueOf(root.getMessage());
  }
}
