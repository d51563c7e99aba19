package io.sparknn.train.spark;

import io.sparknn.data.Dataset;
import io.sparknn.train.PartitionSums;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.SparkEnv;
import scala.collection.Iterator;
import scala.collection.Iterator$;
import scala.runtime.AbstractFunction1;

/**
 * The executor side of a {@link ChannelSession}: the function each task of the barrier stage runs on its cached
 * partition. It borrows the executor's pooled {@link Replica}, connects to the driver (through
 * {@link SameJvmLink} when it runs in the driver's JVM, else {@link SocketLink}) and then, round after round,
 * loads the weights it is sent, computes its partition's sums for the round's step and replies, until the driver
 * says stop; its one result is the number of rounds it served. The same {@link Replica#sums} as a per-iteration
 * task computes the sums, so the replies carry the same bits. When the sums are added among the tasks
 * ({@link Aggregation#SLICED} over TCP) it first links with every other task ({@link PeerMesh}, telling the
 * driver whether it could), then each round gathers the weights from its slice and its peers' and replies with
 * its slice of the sum over every partition.
 */
final class ChannelTask extends AbstractFunction1<Iterator<Dataset>, Iterator<Object>> implements Serializable {
  /** Spark's executor id for the executor that runs inside the driver (SparkContext.DRIVER_IDENTIFIER). */
  private static final String DRIVER_EXECUTOR_ID = "driver";

  private final ChannelWork work;
  private final String session;
  private final String host;
  private final int port;
  private final long[] token;

  /** @param port the driver's channel port, or 0 when every task runs in the driver's JVM */
  ChannelTask(ChannelWork work, String session, String host, int port, long[] token) {
    this.work = work;
    this.session = session;
    this.host = host;
    this.port = port;
    this.token = token;
  }

  @Override
  public Iterator<Object> apply(Iterator<Dataset> rows) {
    int p = BarrierTaskContext.get().partitionId();
    Dataset part = rows.next();
    Replica replica = ReplicaPool.borrow(work.runId(), work.spec(), work.criterion(), work.target());
    try {
      boolean inDriver = DRIVER_EXECUTOR_ID.equals(SparkEnv.get().executorId());
      SameJvmLink local = inDriver ? SameJvmLink.find(session, p) : null;
      int rounds = local == null && work.aggregation() == Aggregation.SLICED ? serveSliced(p, part, replica)
          : serve(p, part, replica, local != null ? local : connect(p, 0));
      return Iterator$.MODULE$.single(rounds);
    } catch (IOException e) {
      throw new UncheckedIOException("partition " + p + " lost its channel to the driver", e);
    } finally {
      ReplicaPool.giveBack(work.runId(), work.spec(), work.criterion(), work.target(), replica);
    }
  }

  /** Round after round: loads the weights, computes the partition's sums, replies with them whole. */
  private int serve(int p, Dataset part, Replica replica, ChannelLink opened) throws IOException {
    int rounds = 0;
    try (ChannelLink link = opened) {
      for (ChannelRound r = link.nextRound(); r != null; r = link.nextRound(), rounds++) {
        long t0 = System.nanoTime();
        r.loadInto(replica);
        long t1 = System.nanoTime();
        work.fault().check(work.schedule().iteration(r.epoch(), r.step()), p, r.attempt());
        PartitionSums sums = replica.sums(part, p, work.schedule(), work.shards(), r.epoch(), r.step(), work.options());
        link.reply(sums, work.wire(), t1 - t0, System.nanoTime() - t1);
      }
    }
    return rounds;
  }

  /**
   * As {@link #serve}, the sums added among the tasks: each round brings slice {@code p} of the packed weights,
   * the others come from the peers, and the reply is slice {@code p} of the sum over every partition.
   */
  private int serveSliced(int p, Dataset part, Replica replica) throws IOException {
    int rounds = 0;
    try (PeerMesh mesh = PeerMesh.listen();
        SocketLink link = connect(p, work.fault().advertisedPeerPort(p, mesh.port()))) {
      InetSocketAddress[] peers = link.nextPeers();
      try {
        mesh.join(peers, token, p);
      } catch (IOException e) {
        link.sendJoined("partition " + p + " could not link with its peers: " + e);
        // Fail only once the driver has read why and ended the session: a task failing at once fails the
        // stage, and the driver, breaking its links, might not have read it yet.
        try {
          link.nextRound();
        } catch (IOException ended) {
          e.addSuppressed(ended);
        }
        throw e;
      }
      link.sendJoined(null);
      int parameters = replica.model().parameterCount();
      int values = parameters + replica.model().stateCount();
      int[] weightStarts = SliceRecord.byteStarts(peers.length, values,
          work.wire() == WireFormat.FLOAT64 ? Double.BYTES : Float.BYTES);
      int[] gradientStarts = SliceRecord.byteStarts(peers.length, parameters, Double.BYTES);
      ByteBuffer weights = direct(weightStarts[peers.length]);
      double[] slice = new double[(gradientStarts[p + 1] - gradientStarts[p]) / Double.BYTES];
      int[] spans = work.shards() == null ? null : work.shards().spans();
      ByteBuffer packedSlice = direct(slice.length * Double.BYTES);
      for (ChannelRound r = link.nextRound(); r != null; r = link.nextRound(), rounds++) {
        long t0 = System.nanoTime();
        mesh.allGather(r.packed(), weights, weightStarts);
        replica.load(weights);
        long t1 = System.nanoTime();
        work.fault().check(work.schedule().iteration(r.epoch(), r.step()), p, r.attempt());
        PartitionSums sums = replica.sums(part, p, work.schedule(), work.shards(), r.epoch(), r.step(), work.options());
        long computeNs = System.nanoTime() - t1;
        mesh.reduceScatter(sums.gradientSum(), gradientStarts, slice, spans);
        link.replySlice(slice, packedSlice, sums, t1 - t0, computeNs);
      }
    }
    return rounds;
  }

  private static ByteBuffer direct(int bytes) {
    return ByteBuffer.allocateDirect(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** A link to the driver over TCP, telling it where this task's {@link PeerMesh} listens (0: nowhere). */
  private SocketLink connect(int p, int peerPort) throws IOException {
    if (port == 0) {
      throw new IllegalStateException("partition " + p + " runs outside the driver's JVM, but the channel of "
          + "session " + session + " has no network port");
    }
    return SocketLink.connect(host, port, token, p, peerPort);
  }
}
