package io.sparknn.train.spark;

import io.sparknn.data.Dataset;
import io.sparknn.train.Evaluation;
import io.sparknn.train.Evaluator;

/** The executor side of distributed evaluation: loss, accuracy and confusion counts of one partition. */
final class EvaluationTask implements ReplicaTask<Evaluation> {
  @Override
  public Evaluation run(Replica replica, Dataset part, int partition, int attempt) {
    return Evaluator.evaluate(replica.model(), replica.objective(), part);
  }
}
