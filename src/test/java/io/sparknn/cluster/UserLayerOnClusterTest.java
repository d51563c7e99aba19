package io.sparknn.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's layer in a jar of its own ({@code --jars}), named in a {@code TrainJob} config and trained on a real
 * standalone cluster. sparknn sits on the executors' system class path ({@code spark.executor.extraClassPath}),
 * where its own class loader cannot see the user's jar: the executors find the layer only through the task
 * threads' context class loader, as a cluster with sparknn installed and layers shipped per job would.
 */
class UserLayerOnClusterTest {
  private static final Duration APP_TIMEOUT = Duration.ofSeconds(240);

  @TempDir
  Path tmp;

  private static List<String> args(Path run) {
    return new ArrayList<>(List.of("--config", Paths.get("conf/mnist-mlp.yaml").toAbsolutePath().toString(),
        "--set", "model.1={type: Swish, beta: 1.7}", "--set", "model.3={type: swish}",
        "--set", "output.run=" + run, "--set", "data.dir=" + Paths.get("data/mnist").toAbsolutePath(),
        "--set", "data.limit=1500", "--set", "data.validation=300", "--set", "epochs=1",
        "--set", "batch_size=100", "--set", "data.partitions=2", "--set", "output.charts=false"));
  }

  /** The user's jar: Swish and its services entry, nothing of sparknn. */
  private Path userJar() throws Exception {
    Path classes = tmp.resolve("user-classes");
    Path testClasses = Paths.get("target", "test-classes");
    Path swish = Paths.get("com", "example", "swish");
    try (Stream<Path> s = Files.list(testClasses.resolve(swish))) {
      Files.createDirectories(classes.resolve(swish));
      for (Path f : s.toList()) {
        Files.copy(f, classes.resolve(swish).resolve(f.getFileName()));
      }
    }
    Path services = classes.resolve("META-INF/services/io.sparknn.nn.LayerType");
    Files.createDirectories(services.getParent());
    Files.writeString(services, "com.example.swish.SwishType\n");
    return StandaloneCluster.buildAppJar(classes, tmp.resolve("user-layers.jar"));
  }

  @Test
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void executorsBuildTheLayerFromTheUsersJarAndEndAsALocalRun() throws Exception {
    Path userJar = userJar();
    StandaloneCluster cluster = SharedCluster.twoWorkers();
    Path sparknn = StandaloneCluster.buildAppJar(Paths.get("target", "classes"),
        cluster.logDir().resolve("sparknn-only.jar"));
    Path run = tmp.resolve("cluster");
    Process p = cluster.submit(sparknn, "io.sparknn.jobs.TrainJob", args(run),
        Map.of("spark.jars", userJar.toAbsolutePath().toString(),
            "spark.executor.extraClassPath", sparknn.toAbsolutePath().toString(),
            "spark.executor.memory", "700m"), tmp.resolve("cluster.log"));
    Path local = tmp.resolve("local");
    LocalTrainJob.run("local[2]", "local reference", args(local));   // while the cluster's run starts up
    assertEquals(0, cluster.waitFor(p, APP_TIMEOUT), () -> cluster.diagnostics(p));
    assertTrue(Files.readString(run.resolve("model/model.json")).contains("\"type\" : \"Swish\""));
    assertArrayEquals(Files.readAllBytes(local.resolve("model/weights.bin")),
        Files.readAllBytes(run.resolve("model/weights.bin")), "bit-identical to the local[2] run");
  }
}
