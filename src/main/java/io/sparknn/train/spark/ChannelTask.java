package io.sparknn.train.spark;

import io.sparknn.data.Dataset;
import io.sparknn.train.PartitionSums;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
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
 * task computes the sums, so the replies carry the same bits.
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
    int rounds = 0;
    try (ChannelLink link = connect(p)) {
      for (ChannelRound r = link.nextRound(); r != null; r = link.nextRound(), rounds++) {
        long t0 = System.nanoTime();
        r.loadInto(replica);
        long t1 = System.nanoTime();
        work.fault().check(work.schedule().iteration(r.epoch(), r.step()), p, r.attempt());
        PartitionSums sums = replica.sums(part, p, work.schedule(), r.epoch(), r.step(), work.options());
        link.reply(sums, work.wire(), t1 - t0, System.nanoTime() - t1);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("partition " + p + " lost its channel to the driver", e);
    } finally {
      ReplicaPool.giveBack(work.runId(), work.spec(), work.criterion(), work.target(), replica);
    }
    return Iterator$.MODULE$.single(rounds);
  }

  private ChannelLink connect(int p) throws IOException {
    if (DRIVER_EXECUTOR_ID.equals(SparkEnv.get().executorId())) {
      SameJvmLink link = SameJvmLink.find(session, p);
      if (link != null) {
        return link;
      }
    }
    if (port == 0) {
      throw new IllegalStateException("partition " + p + " runs outside the driver's JVM, but the channel of "
          + "session " + session + " has no network port");
    }
    return SocketLink.connect(host, port, token, p);
  }
}
