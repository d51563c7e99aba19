package io.sparknn.train.spark;

import io.sparknn.data.Dataset;
import java.io.Serializable;

/**
 * What a {@link ReplicaRDD} task computes on one partition: a function of the executor's {@link Replica} (already
 * loaded with the broadcast weights), the partition's cached {@link Dataset} and its index. Implementations are
 * small serializable classes, shipped inside every task of the iteration.
 */
interface ReplicaTask<R> extends Serializable {
  R run(Replica replica, Dataset part, int partition, int attempt);
}
