package io.sparknn.train.spark;

import io.sparknn.data.Dataset;
import io.sparknn.train.GradientSum;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.util.UUID;
import org.apache.spark.SparkContext;
import org.apache.spark.rdd.RDD;
import scala.reflect.ClassTag$;

/**
 * The driver's side of one barrier stage of long-lived training tasks ({@link Exchange#CHANNEL}): a job with one
 * {@link ChannelTask} per partition of the cached training data, all running at once, each linked to the driver
 * ({@link SameJvmLink} in local mode, else a {@link SocketLink} to a server socket this session opens on the
 * driver's host, guarded by a random token). Each {@link #round} sends the packed weights to every task, waits
 * for every reply and only then adds them, in partition order, so the sum is the jobs path's to the bit and an
 * iteration whose replies are not all in has added nothing. A task's failure, a lost executor or a stage that
 * cannot start breaks the session ({@link ChannelLostException}); the caller then {@link #abort}s it and opens
 * another. The job runs on a thread of its own, in a job group of its own so that aborting can cancel it.
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
    } else {
      links = new ChannelLink[partitions];
      server = new ServerSocket(0, partitions * 2, InetAddress.getByName(sc.conf().get("spark.driver.host")));
      SecureRandom random = new SecureRandom();
      token = new long[] {random.nextLong(), random.nextLong()};
    }
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
      return session;
    } catch (IOException | RuntimeException e) {
      session.abort();
      throw e instanceof ChannelLostException c ? c : session.lost("the tasks could not connect", e);
    }
  }

  private void runJob(RDD<Object> stage) {
    try {
      sc.setJobGroup(id, "sparknn: training tasks of one epoch, linked to the driver", true);
      stage.count();
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
    long deadline = System.nanoTime() + timeoutMs * 1_000_000;
    while (connected < links.length) {
      if (ended) {
        throw lost("the training stage ended before every task connected", null);
      }
      if (System.nanoTime() > deadline) {
        throw lost(connected + " of " + links.length + " tasks connected within " + timeoutMs + " ms", null);
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

  /**
   * Runs one iteration: every task computes its share of ({@code epoch}, {@code step}) from {@code weights};
   * their sums are added to {@code sum} in partition order once all are in. Returns the gradient bytes received.
   */
  long round(int epoch, int step, int attempt, byte[] weights, GradientSum sum, WireFormat wire, int values,
      TaskClock clock) {
    ChannelRound r = new ChannelRound(epoch, step, attempt, weights);
    ChannelReply[] replies = new ChannelReply[links.length];
    try {
      for (ChannelLink link : links) {
        link.sendRound(r);
      }
      for (int p = 0; p < links.length; p++) {
        replies[p] = links[p].receive();
      }
    } catch (IOException | RuntimeException e) {
      throw lost("the channel broke at epoch " + epoch + ", step " + step, e);
    }
    long bytes = 0;
    // Partition order, always: the sum does not depend on which task finished first.
    for (ChannelReply reply : replies) {
      reply.addTo(sum);
      bytes += reply.gradientBytes(wire, values);
      clock.addWeights(reply.loadNs());
      clock.addCompute(reply.computeNs());
    }
    return bytes;
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
