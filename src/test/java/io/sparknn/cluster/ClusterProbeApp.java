package io.sparknn.cluster;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Test-only Spark application for {@link StandaloneClusterTest}, run through {@code SparkSubmit} (master from
 * the command line). Runs a job over 4 partitions in which every task reports where it ran.
 *
 * <p>Arguments: {@code <outFile> [<gateFile>]}. Without a gate: one round, result written to {@code outFile}.
 * With a gate: round 1 is written to {@code <outFile>.round1}, then the app waits (at most 120 s) for
 * {@code gateFile} to exist, runs round 2 and writes both rounds to {@code outFile}.
 *
 * <p>Output lines: {@code driver <pid>} and {@code task <round> <partition> <pid> <parentPid> <executorId>}.
 */
public final class ClusterProbeApp {

    private ClusterProbeApp() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Paths.get(args[0]);
        Path gate = args.length > 1 ? Paths.get(args[1]) : null;
        SparkConf conf = new SparkConf().setAppName("ClusterProbeApp");
        try (JavaSparkContext jsc = new JavaSparkContext(conf)) {
            List<String> lines = new ArrayList<>();
            lines.add("driver " + ProcessHandle.current().pid());
            lines.addAll(round(jsc, 1));
            if (gate != null) {
                writeAtomically(Paths.get(out + ".round1"), lines);
                long deadline = System.nanoTime() + 120_000_000_000L;
                while (!Files.exists(gate)) {
                    if (System.nanoTime() > deadline) throw new IllegalStateException("gate never opened: " + gate);
                    Thread.sleep(100);
                }
                lines.addAll(round(jsc, 2));
            }
            writeAtomically(out, lines);
        }
    }

    private static List<String> round(JavaSparkContext jsc, int round) {
        return jsc.parallelize(List.of(0, 1, 2, 3), 4)
                .map(p -> "task " + round + " " + p + " " + ProcessHandle.current().pid() + " "
                        + ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L) + " "
                        + SparkEnv.get().executorId())
                .collect();
    }

    private static void writeAtomically(Path file, List<String> lines) throws Exception {
        Path tmp = Paths.get(file + ".tmp");
        Files.write(tmp, lines, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
