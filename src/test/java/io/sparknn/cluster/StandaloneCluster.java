package io.sparknn.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparknn.run.LoopbackCluster;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real Spark standalone cluster on 127.0.0.1 for tests: one Master and N Workers, each in its own JVM (the
 * executors the Workers launch run in JVMs of their own), started from the project's Maven jars.
 *
 * <p>Needs {@code target/spark-home/jars} (filled by the {@code maven-dependency-plugin} execution
 * {@code spark-home-jars} in phase {@code process-test-classes}); the empty {@code RELEASE} file is created
 * here. Every process's output goes to a log file under {@code target/standalone-cluster-logs/<timestamp>/};
 * the Workers' work dirs (with each executor's {@code stdout}/{@code stderr}) are there too.
 *
 * <pre>{@code
 * try (StandaloneCluster c = StandaloneCluster.start(2, 1, "1g")) {
 *   Path jar = StandaloneCluster.buildAppJar(Path.of("target/classes"), c.logDir().resolve("app.jar"));
 *   Process p = c.submit(jar, "my.Main", List.of("arg"), Map.of(), null);
 *   assertEquals(0, c.waitFor(p, Duration.ofSeconds(60)), () -> c.diagnostics(p));
 * }
 * }</pre>
 *
 * {@link #close()} stops everything this instance started (drivers of {@link #submit}, executors, Workers,
 * Master), is idempotent, and also runs from a JVM shutdown hook if a test run is aborted.
 */
public final class StandaloneCluster implements AutoCloseable {

    /** Marker of an executor JVM's command line (CoarseGrainedExecutorBackend). */
    public static final String EXECUTOR_MARKER = "org.apache.spark.executor.";

    /**
     * Flags of the drivers {@link #submit} starts and of their executors: a test's app lives for seconds, most of
     * them spent starting JVMs and running code not yet compiled, which the client compiler alone and the serial
     * collector make quicker on few cores. Results are the same bits (Java's floating point does not depend on
     * the compiler); the harness's clusters leave executors on the JVM's defaults, as a user's are.
     */
    public static final List<String> SHORT_LIVED_JVM = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    private static final List<String> DRIVER_FLAGS =
            Stream.concat(Stream.of("-Xmx1g"), SHORT_LIVED_JVM.stream()).toList();

    /** The daemons' flags, shared with the harness's cluster. */
    private static final List<String> DAEMON_FLAGS = LoopbackCluster.DAEMON_FLAGS;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern MASTER_URL = Pattern.compile("Starting Spark master at (spark://[^\\s]+)");
    private static final Pattern MASTER_UI_PORT =
            Pattern.compile("Successfully started service 'MasterUI' on port (\\d+)");

    private final Path sparkHome;
    private final Path logDir;
    private final int expectedWorkers;
    private final List<Process> daemons = new ArrayList<>();        // master first, then workers
    private final List<Path> daemonLogs = new ArrayList<>();
    private final List<Process> workers = new ArrayList<>();
    private final Map<Process, Path> submissions = Collections.synchronizedMap(new LinkedHashMap<>());
    private final Set<Long> knownPids = Collections.synchronizedSet(new LinkedHashSet<>());
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread shutdownHook;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process master;
    private String masterUrl;
    private int masterWebUiPort;

    private StandaloneCluster(Path sparkHome, Path logDir, int expectedWorkers) {
        this.sparkHome = sparkHome;
        this.logDir = logDir;
        this.expectedWorkers = expectedWorkers;
        this.shutdownHook = new Thread(this::stopAll, "standalone-cluster-shutdown-" + logDir.getFileName());
    }

    // ------------------------------------------------------------------------------------------------ start

    /**
     * Starts a Master and {@code workers} Workers ({@code coresPerWorker} cores, {@code memoryPerWorker} such as
     * {@code "1g"} each) and waits (at most 60 s) until the Master reports all Workers ALIVE.
     */
    public static StandaloneCluster start(int workers, int coresPerWorker, String memoryPerWorker) {
        if (workers < 1 || coresPerWorker < 1) throw new IllegalArgumentException("workers and cores must be >= 1");
        Path sparkHome = prepareSparkHome();
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS"));
        Path logDir = Paths.get("target", "standalone-cluster-logs", stamp + "-" + SEQ.incrementAndGet())
                .toAbsolutePath();
        StandaloneCluster c = new StandaloneCluster(sparkHome, logDir, workers);
        try {
            Files.createDirectories(logDir);
            Runtime.getRuntime().addShutdownHook(c.shutdownHook);
            c.startMaster();
            for (int i = 1; i <= workers; i++) c.startWorker(i, coresPerWorker, memoryPerWorker);
            c.awaitAliveWorkers(workers, START_TIMEOUT);
            return c;
        } catch (RuntimeException | Error e) {
            c.close();
            throw e;
        } catch (Exception e) {
            c.close();
            throw new IllegalStateException("Could not start the standalone cluster: " + e + c.daemonLogTails(), e);
        }
    }

    private static Path prepareSparkHome() {
        return LoopbackCluster.prepare(Paths.get(System.getProperty("basedir", System.getProperty("user.dir")),
                "target", "spark-home"));
    }

    private void startMaster() throws IOException, InterruptedException {
        int port = freePort();
        int webUi = freePort();
        Path log = logDir.resolve("master.log");
        master = launch(DAEMON_FLAGS, "org.apache.spark.deploy.master.Master",
                List.of("--host", "127.0.0.1", "--port", String.valueOf(port), "--webui-port", String.valueOf(webUi)),
                log);
        daemons.add(master);
        daemonLogs.add(log);
        // Spark moves to the next port if the chosen one was taken meanwhile: read the real ones from the log.
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        String url = null;
        Integer ui = null;
        while (url == null || ui == null) {
            if (!master.isAlive()) {
                throw new IllegalStateException("Master exited with " + master.exitValue() + daemonLogTails());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Master did not start within " + START_TIMEOUT + daemonLogTails());
            }
            String text = readQuietly(log);
            Matcher m = MASTER_URL.matcher(text);
            if (m.find()) url = m.group(1);
            Matcher u = MASTER_UI_PORT.matcher(text);
            if (u.find()) ui = Integer.valueOf(u.group(1));
            if (url == null || ui == null) Thread.sleep(100);
        }
        masterUrl = url;
        masterWebUiPort = ui;
    }

    private void startWorker(int index, int cores, String memory) throws IOException {
        Path workDir = logDir.resolve("worker-" + index + "-work");
        Files.createDirectories(workDir);
        Path log = logDir.resolve("worker-" + index + ".log");
        Process w = launch(DAEMON_FLAGS, "org.apache.spark.deploy.worker.Worker",
                List.of("--host", "127.0.0.1", "--cores", String.valueOf(cores), "--memory", memory,
                        "--work-dir", workDir.toString(), "--webui-port", String.valueOf(freePort()), masterUrl),
                log);
        workers.add(w);
        daemons.add(w);
        daemonLogs.add(log);
    }

    private void awaitAliveWorkers(int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int alive = -1;
        Exception last = null;
        while (System.nanoTime() < deadline) {
            for (int i = 0; i < daemons.size(); i++) {
                if (!daemons.get(i).isAlive()) {
                    throw new IllegalStateException(daemonLogs.get(i).getFileName() + " process exited with "
                            + daemons.get(i).exitValue() + daemonLogTails());
                }
            }
            try {
                alive = aliveWorkers();
                if (alive >= n) return;
            } catch (RuntimeException e) {
                last = e;   // web UI not answering yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("Only " + alive + " of " + n + " workers ALIVE after " + timeout
                + (last == null ? "" : " (last error: " + last + ")") + daemonLogTails());
    }

    // ---------------------------------------------------------------------------------------------- queries

    /** {@code spark://127.0.0.1:<port>} */
    public String masterUrl() {
        return masterUrl;
    }

    /** {@code http://127.0.0.1:<port>} of the Master's web UI. */
    public String masterWebUiUrl() {
        return "http://127.0.0.1:" + masterWebUiPort;
    }

    /** Folder with master.log, worker-N.log, worker-N-work/ (executor logs) and the submissions' logs. */
    public Path logDir() {
        return logDir;
    }

    /** The SPARK_HOME the processes use ({@code target/spark-home}). */
    public Path sparkHome() {
        return sparkHome;
    }

    /** The Master's state, {@code GET /json/} of its web UI. */
    public JsonNode masterState() {
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create(masterWebUiUrl() + "/json/"))
                    .timeout(Duration.ofSeconds(5)).GET().build();
            HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
            if (resp.statusCode() != 200) {
                throw new IllegalStateException("Master web UI answered HTTP " + resp.statusCode());
            }
            return JSON.readTree(resp.body());
        } catch (IOException e) {
            throw new UncheckedIOException("Master web UI not reachable at " + masterWebUiUrl(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Number of Workers the Master reports ALIVE. */
    public int aliveWorkers() {
        JsonNode state = masterState();
        if (state.hasNonNull("aliveworkers")) return state.get("aliveworkers").asInt();
        int n = 0;
        for (JsonNode w : state.path("workers")) if ("ALIVE".equals(w.path("state").asText())) n++;
        return n;
    }

    public long masterPid() {
        return master.pid();
    }

    public List<Long> workerPids() {
        return workers.stream().map(Process::pid).collect(Collectors.toList());
    }

    /** PIDs of the executor JVMs currently running under the Workers. */
    public List<Long> executorPids() {
        List<Long> pids = executorHandles().stream().map(ProcessHandle::pid).collect(Collectors.toList());
        knownPids.addAll(pids);
        return pids;
    }

    /** Waits (bounded) until at least {@code n} executor JVMs run under the Workers; returns their PIDs. */
    public List<Long> awaitExecutors(int n, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Long> pids;
        while ((pids = executorPids()).size() < n) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Only " + pids.size() + " of " + n + " executors after " + timeout
                        + daemonLogTails());
            }
            sleep(100);
        }
        return pids;
    }

    /**
     * Every PID this cluster started or saw as one of its executors: Master, Workers, submitted drivers,
     * executors (those observed by {@link #executorPids()}, {@link #killOneExecutor()} or {@link #close()}).
     */
    public Set<Long> knownPids() {
        synchronized (knownPids) {
            return new LinkedHashSet<>(knownPids);
        }
    }

    // ------------------------------------------------------------------------------------------------- kill

    /**
     * Kills ({@code SIGKILL}) one executor JVM started by a Worker, the one with the highest PID, and waits up to
     * 10 s for it to be gone. Returns its PID.
     *
     * @throws IllegalStateException if no executor runs
     */
    public long killOneExecutor() {
        List<ProcessHandle> executors = executorHandles();
        if (executors.isEmpty()) throw new IllegalStateException("No executor JVM is running under the workers");
        ProcessHandle victim = executors.get(executors.size() - 1);
        knownPids.add(victim.pid());
        victim.destroyForcibly();
        try {
            victim.onExit().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Executor " + victim.pid() + " did not die within 10 s", e);
        }
        System.err.println("[StandaloneCluster] killed executor pid " + victim.pid());
        return victim.pid();
    }

    private List<ProcessHandle> executorHandles() {
        List<ProcessHandle> out = new ArrayList<>();
        for (Process w : workers) {
            w.descendants().filter(StandaloneCluster::isExecutor).forEach(out::add);
        }
        out.sort((a, b) -> Long.compare(a.pid(), b.pid()));
        return out;
    }

    private static boolean isExecutor(ProcessHandle h) {
        ProcessHandle.Info info = h.info();
        if (info.commandLine().map(s -> s.contains(EXECUTOR_MARKER)).orElse(false)) return true;
        return info.arguments().map(a -> Arrays.stream(a).anyMatch(s -> s.contains(EXECUTOR_MARKER))).orElse(false);
    }

    // ----------------------------------------------------------------------------------------------- submit

    /** Same as {@link #submit(Path, String, List, Map, Path)}, for those who prefer a static call. */
    public static Process submit(StandaloneCluster c, Path appJar, String mainClass, List<String> appArgs,
                                 Map<String, String> conf, Path logFile) {
        return c.submit(appJar, mainClass, appArgs, conf, logFile);
    }

    /**
     * Runs {@code SparkSubmit --master <url> --deploy-mode client --class <mainClass> [--conf k=v]... <appJar>
     * <appArgs>} in a JVM of its own (the driver; {@code -Xmx1g} and {@link #SHORT_LIVED_JVM}). Defaults,
     * overridable through {@code conf}: {@code spark.driver.host=127.0.0.1}, {@code spark.ui.enabled=false},
     * {@code spark.ui.showConsoleProgress=false}, {@code spark.executor.extraJavaOptions} the
     * {@link #SHORT_LIVED_JVM} flags. Output goes to {@code logFile} (null: a fresh
     * {@code submit-N.log} in {@link #logDir()}). Wait with {@link #waitFor(Process, Duration)}.
     */
    public Process submit(Path appJar, String mainClass, List<String> appArgs, Map<String, String> conf,
                          Path logFile) {
        if (closed.get()) throw new IllegalStateException("cluster is closed");
        Map<String, String> all = new LinkedHashMap<>();
        all.put("spark.driver.host", "127.0.0.1");
        all.put("spark.ui.enabled", "false");
        all.put("spark.ui.showConsoleProgress", "false");
        all.put("spark.executor.extraJavaOptions", String.join(" ", SHORT_LIVED_JVM));
        if (conf != null) all.putAll(conf);
        List<String> args = new ArrayList<>(List.of("--master", masterUrl, "--deploy-mode", "client",
                "--class", mainClass));
        all.forEach((k, v) -> {
            args.add("--conf");
            args.add(k + "=" + v);
        });
        args.add(appJar.toAbsolutePath().toString());
        if (appArgs != null) args.addAll(appArgs);
        Path log = logFile != null ? logFile.toAbsolutePath()
                : logDir.resolve("submit-" + (submissions.size() + 1) + ".log");
        try {
            Files.createDirectories(log.getParent());
            Process p = launch(DRIVER_FLAGS, "org.apache.spark.deploy.SparkSubmit", args, log);
            submissions.put(p, log);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits for a submitted process and returns its exit code; on timeout kills it (and its descendants) and
     * throws an {@link IllegalStateException} carrying the log tails.
     */
    public int waitFor(Process p, Duration timeout) {
        try {
            if (p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) return p.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            killTree(p.toHandle());
            throw new IllegalStateException("interrupted while waiting for " + p.pid(), e);
        }
        killTree(p.toHandle());
        throw new IllegalStateException("Submitted process " + p.pid() + " did not finish within " + timeout
                + " and was killed" + diagnostics(p));
    }

    /** Static form of {@link #waitFor(Process, Duration)}, without the cluster's log tails. */
    public static int waitFor(Process p, Duration timeout, Path logFile) {
        try {
            if (p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) return p.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        killTree(p.toHandle());
        throw new IllegalStateException("Process " + p.pid() + " did not finish within " + timeout
                + " and was killed" + (logFile == null ? "" : "\n--- " + logFile + "\n" + tail(logFile, 60)));
    }

    /** Tails of the submission's log, the daemons' logs and the executors' stderr files, for failure messages. */
    public String diagnostics(Process submission) {
        StringBuilder sb = new StringBuilder();
        Path log = submission == null ? null : submissions.get(submission);
        if (log != null) sb.append("\n--- ").append(log).append('\n').append(tail(log, 80));
        sb.append(daemonLogTails());
        sb.append(executorLogTails(30));
        return sb.toString();
    }

    private String daemonLogTails() {
        StringBuilder sb = new StringBuilder();
        for (Path l : new ArrayList<>(daemonLogs)) sb.append("\n--- ").append(l).append('\n').append(tail(l, 30));
        return sb.toString();
    }

    private String executorLogTails(int lines) {
        StringBuilder sb = new StringBuilder();
        try (Stream<Path> s = Files.exists(logDir) ? Files.walk(logDir) : Stream.empty()) {
            s.filter(p -> p.getFileName().toString().equals("stderr") && p.toString().contains("-work"))
                    .sorted()
                    .forEach(p -> sb.append("\n--- ").append(p).append('\n').append(tail(p, lines)));
        } catch (IOException | UncheckedIOException e) {
            sb.append("\n(could not list executor logs: ").append(e).append(')');
        }
        return sb.toString();
    }

    /** The last {@code lines} lines of a text file ("" if missing). */
    public static String tail(Path file, int lines) {
        String text = readQuietly(file);
        String[] all = text.split("\n", -1);
        int from = Math.max(0, all.length - lines - 1);
        return String.join("\n", Arrays.asList(all).subList(from, all.length));
    }

    // ------------------------------------------------------------------------------------------------- jars

    /** Zips {@code classesDir} (e.g. {@code target/classes}) into a thin jar. */
    public static Path buildAppJar(Path classesDir, Path jarFile) {
        return buildAppJar(jarFile, List.of(classesDir));
    }

    /** Zips several class folders into one thin jar (the first occurrence of a path wins). */
    public static Path buildAppJar(Path jarFile, List<Path> classesDirs) {
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        Set<String> seen = new LinkedHashSet<>();
        try {
            if (jarFile.toAbsolutePath().getParent() != null) Files.createDirectories(jarFile.toAbsolutePath().getParent());
            try (OutputStream os = Files.newOutputStream(jarFile); JarOutputStream jar = new JarOutputStream(os, mf)) {
                seen.add("META-INF/MANIFEST.MF");
                for (Path dir : classesDirs) {
                    if (!Files.isDirectory(dir)) throw new IllegalArgumentException("not a directory: " + dir);
                    List<Path> files;
                    try (Stream<Path> s = Files.walk(dir)) {
                        files = s.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
                    }
                    for (Path f : files) {
                        String name = dir.relativize(f).toString().replace('\\', '/');
                        if (!seen.add(name)) continue;
                        addParents(jar, name, seen);
                        JarEntry e = new JarEntry(name);
                        e.setTime(Files.getLastModifiedTime(f).toMillis());
                        jar.putNextEntry(e);
                        Files.copy(f, jar);
                        jar.closeEntry();
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return jarFile;
    }

    private static void addParents(JarOutputStream jar, String name, Set<String> seen) throws IOException {
        int i = -1;
        while ((i = name.indexOf('/', i + 1)) > 0) {
            String dir = name.substring(0, i + 1);
            if (seen.add(dir)) {
                jar.putNextEntry(new JarEntry(dir));
                jar.closeEntry();
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ close

    /**
     * Stops the submitted drivers, the executors, the Workers and the Master (SIGTERM, then SIGKILL after 10 s)
     * and waits for them to exit. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.get()) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException | IllegalArgumentException ignored) {
                // JVM shutting down already, or never registered
            }
        }
        stopAll();
    }

    public boolean isClosed() {
        return closed.get();
    }

    private void stopAll() {
        if (!closed.compareAndSet(false, true)) return;
        List<ProcessHandle> toStop = new ArrayList<>();
        List<Process> subs;
        synchronized (submissions) {
            subs = new ArrayList<>(submissions.keySet());
        }
        // 1. drivers (so nobody asks for new executors), 2. executors, 3. workers, 4. master
        for (Process p : subs) {
            p.descendants().forEach(toStop::add);
            toStop.add(p.toHandle());
        }
        terminate(toStop);
        List<ProcessHandle> executors = new ArrayList<>();
        for (Process w : workers) w.descendants().forEach(executors::add);
        terminate(executors);
        toStop.addAll(executors);
        List<ProcessHandle> daemonsReversed = new ArrayList<>();
        for (int i = daemons.size() - 1; i >= 0; i--) daemonsReversed.add(daemons.get(i).toHandle());
        // anything a worker spawned in between
        for (Process w : workers) w.descendants().filter(h -> !executors.contains(h)).forEach(h -> {
            h.destroy();
            toStop.add(h);
        });
        terminate(daemonsReversed);
        toStop.addAll(daemonsReversed);
        awaitOrKill(toStop);
    }

    private void terminate(Collection<ProcessHandle> handles) {
        for (ProcessHandle h : handles) {
            knownPids.add(h.pid());
            h.destroy();
        }
    }

    private static void awaitOrKill(List<ProcessHandle> handles) {
        CompletableFuture<?>[] exits = handles.stream().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(exits).get(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            return;
        } catch (Exception ignored) {
            // fall through to SIGKILL
        }
        for (ProcessHandle h : handles) if (h.isAlive()) h.destroyForcibly();
        try {
            CompletableFuture.allOf(exits).get(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            System.err.println("[StandaloneCluster] processes still alive after SIGKILL: " + handles.stream()
                    .filter(ProcessHandle::isAlive).map(h -> String.valueOf(h.pid())).collect(Collectors.joining(",")));
        }
    }

    private static void killTree(ProcessHandle h) {
        List<ProcessHandle> all = new ArrayList<>();
        h.descendants().forEach(all::add);
        all.add(h);
        all.forEach(ProcessHandle::destroyForcibly);
        CompletableFuture<?>[] exits = all.stream().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(exits).get(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception ignored) {
            // best effort
        }
    }

    // ---------------------------------------------------------------------------------------------- helpers

    private Process launch(List<String> heap, String mainClass, List<String> args, Path log) throws IOException {
        Process p = LoopbackCluster.process(sparkHome, logDir, heap, mainClass, args, log).start();
        knownPids.add(p.pid());
        return p;
    }

    /** Spark's own Java 17 module flags (org.apache.spark.launcher.JavaModuleOptions) plus the pom's extras. */
    static List<String> jvmFlags() {
        return LoopbackCluster.sparkJvmFlags();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    private static String readQuietly(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "StandaloneCluster[" + masterUrl + ", workers=" + workerPids() + ", logs=" + logDir + "]";
    }
}
