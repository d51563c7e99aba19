package io.sparknn.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.junit.jupiter.api.Test;

/** The shared params, given by interface default methods, are still found by Spark's reflection. */
class NetworkParamsHolderTest {
  private static final List<String> NAMES = List.of("activation", "batchSize", "layers", "localSteps", "maxIter",
      "modelSpec", "momentum", "seed", "shards", "solver", "stepSize");

  @Test
  void sparkFindsEveryNetworkParamOfBothEstimators() {
    for (Params estimator : List.of(new SparknnClassifier(), new SparknnRegressor())) {
      Set<String> found = Arrays.stream(estimator.params()).map(Param::name).collect(Collectors.toSet());
      assertTrue(found.containsAll(NAMES), estimator.getClass().getSimpleName() + " params: " + found);
      for (String name : NAMES) {
        assertEquals(estimator.uid(), estimator.getParam(name).parent(), name);
      }
    }
  }

  @Test
  void settersChainWithTheConcreteTypeAndGettersReadBack() {
    SparknnRegressor r = new SparknnRegressor();
    SparknnRegressor same = r.setStepSize(0.01).setSolver("adam").setLayers(new int[] {3, 1});
    assertSame(r, same);
    assertEquals(0.01, r.getStepSize(), 0.0);
    assertEquals("adam", r.getSolver());
    assertEquals(128, r.getBatchSize());
    assertEquals(1, r.getLocalSteps(), "synchronous by default");
    assertEquals(4, r.setLocalSteps(4).getLocalSteps());
    assertEquals(0, r.getShards(), "no shards by default");
    assertEquals(64, r.setShards(64).getShards());
    assertEquals(2, r.getLayers().length);
    assertEquals(0, new SparknnClassifier().getLayers().length);
  }
}
