package io.sparknn.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Proves {@link StandaloneCluster} with real Master/Worker/executor JVMs on 127.0.0.1. One cluster (2 workers,
 * 1 core and 1g each) serves the class, started once because JVM start-ups dominate on a 2-core machine; the
 * last test closes it and checks that every process seen on the way is gone. Tests 1 and 2 share one probe
 * application too (test 2 is skipped if test 1 did not leave it running).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StandaloneClusterTest {

    private static final Duration APP_TIMEOUT = Duration.ofSeconds(90);

    private StandaloneCluster cluster;
    private Path probeJar;
    /** Drivers and executors the probe apps reported, checked dead after close(). */
    private final Set<Long> appPids = Collections.synchronizedSet(new LinkedHashSet<>());
    /** The probe app of test 1, left waiting for {@link #gate}; its output file. */
    private Process app;
    private Path gate;
    private Path out;

    /** One task's report: {@code task <round> <partition> <pid> <parentPid> <executorId>}. */
    private record Task(int round, int partition, long pid, long parentPid, String executorId) {
        static Task parse(String line) {
            String[] f = line.split(" ");
            return new Task(Integer.parseInt(f[1]), Integer.parseInt(f[2]), Long.parseLong(f[3]),
                    Long.parseLong(f[4]), f[5]);
        }
    }

    @BeforeAll
    void startCluster() {
        cluster = StandaloneCluster.start(2, 1, "1g");
        // The probe is a test class: ship target/test-classes (a thin jar; Spark itself is in spark-home/jars).
        probeJar = StandaloneCluster.buildAppJar(Paths.get("target", "test-classes"),
                cluster.logDir().resolve("probe.jar"));
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) cluster.close();
    }

    @Test
    @Order(1)
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void jobRunsInExecutorJvmsStartedByTheWorkers() throws Exception {
        long testPid = ProcessHandle.current().pid();
        assertTrue(cluster.masterUrl().startsWith("spark://127.0.0.1:"), cluster.masterUrl());
        assertEquals(2, cluster.aliveWorkers());
        List<Long> workerPids = cluster.workerPids();
        assertFalse(workerPids.contains(testPid));

        // One probe app serves tests 1 and 2 (a driver plus two executors cost ~15-30 s of JVM start-ups here):
        // it runs round 1, then waits for the gate file that test 2 creates after killing an executor.
        out = cluster.logDir().resolve("probe.out");
        gate = cluster.logDir().resolve("probe.gate");
        Path round1 = Paths.get(out + ".round1");
        Process p = cluster.submit(probeJar, ClusterProbeApp.class.getName(),
                List.of(out.toString(), gate.toString()), Map.of(), cluster.logDir().resolve("probe-submit.log"));
        appPids.add(p.pid());
        long deadline = System.nanoTime() + APP_TIMEOUT.toNanos();
        while (!Files.exists(round1)) {
            if (!p.isAlive()) fail("probe app exited with " + p.exitValue() + cluster.diagnostics(p));
            if (System.nanoTime() > deadline) cluster.waitFor(p, Duration.ZERO);   // kills it, throws with logs
            Thread.sleep(100);
        }

        List<String> lines = Files.readAllLines(round1, StandardCharsets.UTF_8);
        long driverPid = driverPid(lines);
        List<Task> tasks = tasks(lines);
        tasks.forEach(t -> appPids.add(t.pid()));
        assertEquals(p.pid(), driverPid, "client mode: the driver is the SparkSubmit JVM");
        assertNotEquals(testPid, driverPid);
        assertEquals(Set.of(0, 1, 2, 3), tasks.stream().map(Task::partition).collect(Collectors.toSet()));
        Set<Long> executorPids = tasks.stream().map(Task::pid).collect(Collectors.toSet());
        assertFalse(executorPids.isEmpty());
        for (Task t : tasks) {
            assertNotEquals(driverPid, t.pid(), "task ran in the driver: " + t);
            assertNotEquals(testPid, t.pid(), "task ran in the test JVM: " + t);
            assertNotEquals("driver", t.executorId(), t.toString());
            assertTrue(workerPids.contains(t.parentPid()),
                    "executor JVM is not a child of a worker: " + t + ", workers " + workerPids);
        }
        assertTrue(cluster.executorPids().containsAll(executorPids),
                "executors seen by the harness " + cluster.executorPids() + " vs. the tasks' JVMs " + executorPids);
        app = p;
    }

    @Test
    @Order(2)
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void killOneExecutorKillsAnExecutorJvmAndTheAppRecovers() throws Exception {
        assumeTrue(app != null && app.isAlive(), "needs the probe app that test 1 leaves waiting");
        Process p = app;
        List<Long> before = cluster.executorPids();
        long killed = cluster.killOneExecutor();
        assertTrue(before.contains(killed), killed + " not among " + before);
        assertFalse(alive(killed));
        assertFalse(cluster.executorPids().contains(killed));

        Files.createFile(gate);   // round 2 must succeed on the surviving and the relaunched executor
        assertEquals(0, cluster.waitFor(p, APP_TIMEOUT), () -> "probe app failed" + cluster.diagnostics(p));
        List<Task> tasks = tasks(Files.readAllLines(out, StandardCharsets.UTF_8));
        tasks.forEach(t -> appPids.add(t.pid()));
        List<Task> second = tasks.stream().filter(t -> t.round() == 2).collect(Collectors.toList());
        assertEquals(Set.of(0, 1, 2, 3), second.stream().map(Task::partition).collect(Collectors.toSet()),
                tasks.toString());
        for (Task t : second) assertNotEquals(killed, t.pid(), "round 2 ran in the killed executor: " + t);
    }

    @Test
    @Order(3)
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void closeStopsEveryProcessAndIsIdempotent() {
        Set<Long> pids = new LinkedHashSet<>(cluster.knownPids());
        pids.add(cluster.masterPid());
        pids.addAll(cluster.workerPids());
        pids.addAll(appPids);
        assertTrue(pids.stream().anyMatch(StandaloneClusterTest::alive), "the daemons should still run");

        cluster.close();
        assertTrue(cluster.isClosed());
        pids.addAll(cluster.knownPids());   // close() records the executors it stopped
        List<Long> alive = pids.stream().filter(StandaloneClusterTest::alive).collect(Collectors.toList());
        assertTrue(alive.isEmpty(), "alive after close(): " + alive + " of " + pids);

        cluster.close();                    // idempotent: no exception, nothing changes
        cluster.close();
        assertTrue(cluster.isClosed());
        assertThrows(IllegalStateException.class,
                () -> cluster.submit(probeJar, ClusterProbeApp.class.getName(), List.of(), Map.of(), null));
        assertThrows(IllegalStateException.class, cluster::killOneExecutor, "no executors after close()");
    }

    private static long driverPid(List<String> lines) {
        return lines.stream().filter(l -> l.startsWith("driver ")).map(l -> Long.parseLong(l.substring(7)))
                .findFirst().orElseThrow(() -> new AssertionError("no driver line in " + lines));
    }

    private static List<Task> tasks(List<String> lines) {
        return lines.stream().filter(l -> l.startsWith("task ")).map(Task::parse).collect(Collectors.toList());
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
