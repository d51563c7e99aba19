package io.sparknn.run;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Spark standalone cluster on 127.0.0.1 started from a directory of Spark's jars (the project's
 * {@code target/spark-home}, which the pom fills with every compile and provided jar): one Master and
 * {@code W} Workers of {@code C} cores, each in its own JVM; the executors the Workers launch for an application
 * run in JVMs of their own, so everything an iteration moves is really serialised and sent over loopback. The
 * performance harness runs on it ({@code jobs/bench.sh --cluster WxC}). Every process's output goes to a log
 * under {@code logDir}. {@link #close()} stops executors, Workers and Master (SIGTERM, then SIGKILL after 10 s)
 * and also runs from a shutdown hook.
 */
public final class LoopbackCluster implements AutoCloseable {
  /**
   * Master and Workers only coordinate: small heap, serial GC and C1 only start faster and take fewer threads on a
   * small machine. No REST submission server (its fixed port 6066 would collide between clusters).
   */
  public static final List<String> DAEMON_FLAGS = List.of("-Xmx512m", "-XX:+UseSerialGC",
      "-XX:TieredStopAtLevel=1", "-Dspark.master.rest.enabled=false");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
  private static final Pattern MASTER_URL = Pattern.compile("Starting Spark master at (spark://\\S+)");
  private static final Pattern WORKER_REGISTERED = Pattern.compile("Successfully registered with master");

  private final Path sparkHome;
  private final Path logDir;
  private final List<Process> daemons = new ArrayList<>();
  private final List<Path> logs = new ArrayList<>();
  private final Thread hook = new Thread(this::stop, "loopback-cluster-stop");
  private String masterUrl;
  private boolean stopped;

  private LoopbackCluster(Path sparkHome, Path logDir) {
    this.sparkHome = sparkHome;
    this.logDir = logDir;
  }

  /** The Spark home the project's build prepares: {@code <project>/target/spark-home}. */
  public static Path projectSparkHome(Path project) {
    return project.resolve("target").resolve("spark-home");
  }

  /** Starts a Master and {@code workers} Workers of {@code cores} cores and {@code memory} (e.g. "1g") each. */
  public static LoopbackCluster start(Path sparkHome, int workers, int cores, String memory, Path logDir) {
    if (workers < 1 || cores < 1) {
      throw new IllegalArgumentException("a cluster needs at least 1 worker of 1 core, got " + workers + "x" + cores);
    }
    prepare(sparkHome);
    try {
      Files.createDirectories(logDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    LoopbackCluster c = new LoopbackCluster(sparkHome.toAbsolutePath().normalize(), logDir.toAbsolutePath());
    Runtime.getRuntime().addShutdownHook(c.hook);
    try {
      c.startMaster();
      for (int i = 1; i <= workers; i++) {
        c.startWorker(i, cores, memory);
      }
      return c;
    } catch (IOException | RuntimeException e) {
      c.close();
      throw new IllegalStateException("could not start the cluster (logs in " + logDir + "): " + e.getMessage(), e);
    }
  }

  /**
   * Checks that {@code sparkHome/jars} holds Spark's jars and creates the empty {@code RELEASE} file that tells
   * Spark's launcher this is a distribution; returns {@code sparkHome} as an absolute path.
   */
  public static Path prepare(Path sparkHome) {
    Path home = sparkHome.toAbsolutePath().normalize();
    Path jars = home.resolve("jars");
    try (var s = Files.isDirectory(jars) ? Files.list(jars) : java.util.stream.Stream.<Path>empty()) {
      if (s.noneMatch(p -> p.getFileName().toString().startsWith("spark-core_"))) {
        throw new IllegalStateException(jars + " holds no Spark jars: run `mvn -o process-test-classes` first "
            + "(the maven-dependency-plugin execution spark-home-jars copies them there)");
      }
      try {
        Files.createFile(home.resolve("RELEASE"));
      } catch (java.nio.file.FileAlreadyExistsException ignored) {
        // there already, or a concurrent start created it
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return home;
  }

  /** Spark's own Java 17 module flags ({@code JavaModuleOptions}) and the pom's extra flag, for Spark's JVMs. */
  public static List<String> sparkJvmFlags() {
    List<String> flags = new ArrayList<>(Arrays.asList(
        org.apache.spark.launcher.JavaModuleOptions.defaultModuleOptionArray()));
    flags.add("-Djdk.reflect.useDirectMethodHandle=false");
    return flags;
  }

  /**
   * A Spark JVM ({@code mainClass} with {@code args}, {@code heap} flags first) on {@code sparkHome}'s jars, in
   * {@code workDir}, its output appended to {@code log} (which first gets the command line): the environment
   * every process of a loopback cluster gets (SPARK_HOME, Scala 2.13, 127.0.0.1, one BLAS thread).
   */
  public static ProcessBuilder process(Path sparkHome, Path workDir, List<String> heap, String mainClass,
      List<String> args, Path log) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(heap);
    cmd.addAll(sparkJvmFlags());
    cmd.add("-cp");
    cmd.add(sparkHome.resolve("jars") + "/*");
    cmd.add(mainClass);
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    var env = pb.environment();
    env.put("SPARK_HOME", sparkHome.toString());
    env.put("SPARK_SCALA_VERSION", "2.13");
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    env.put("OPENBLAS_NUM_THREADS", "1");
    env.put("JAVA_HOME", System.getProperty("java.home"));
    env.remove("SPARK_CONF_DIR");
    env.remove("SPARK_MASTER_HOST");
    Files.writeString(log, "# " + String.join(" ", cmd) + "\n", StandardCharsets.UTF_8);
    return pb;
  }

  /** {@code spark://127.0.0.1:<port>}. */
  public String masterUrl() {
    return masterUrl;
  }

  public Path logDir() {
    return logDir;
  }

  private void startMaster() throws IOException {
    Path log = logDir.resolve("master.log");
    Process m = launch("org.apache.spark.deploy.master.Master", List.of("--host", "127.0.0.1", "--port",
        String.valueOf(freePort()), "--webui-port", String.valueOf(freePort())), log);
    Matcher url = await(m, log, MASTER_URL);
    masterUrl = url.group(1);
  }

  private void startWorker(int index, int cores, String memory) throws IOException {
    Path work = logDir.resolve("worker-" + index + "-work");
    Files.createDirectories(work);
    Path log = logDir.resolve("worker-" + index + ".log");
    Process w = launch("org.apache.spark.deploy.worker.Worker", List.of("--host", "127.0.0.1", "--cores",
        String.valueOf(cores), "--memory", memory, "--work-dir", work.toString(), "--webui-port",
        String.valueOf(freePort()), masterUrl), log);
    await(w, log, WORKER_REGISTERED);
  }

  private Matcher await(Process p, Path log, Pattern pattern) {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (true) {
      String text = read(log);
      Matcher m = pattern.matcher(text);
      if (m.find()) {
        return m;
      }
      if (!p.isAlive() || System.nanoTime() > deadline) {
        throw new IllegalStateException(log.getFileName() + (p.isAlive() ? ": no '" + pattern + "' within "
            + START_TIMEOUT : " exited with " + p.exitValue()) + "; its log ends:\n" + tail(text));
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while starting the cluster", e);
      }
    }
  }

  private Process launch(String mainClass, List<String> args, Path log) throws IOException {
    Process p = process(sparkHome, logDir, DAEMON_FLAGS, mainClass, args, log).start();
    daemons.add(p);
    logs.add(log);
    return p;
  }

  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException | IllegalArgumentException ignored) {
      // shutting down already, or removed before
    }
    stop();
  }

  /** Executors first (the Workers' children), then the Workers, then the Master. */
  private synchronized void stop() {
    if (stopped) {
      return;
    }
    stopped = true;
    List<ProcessHandle> all = new ArrayList<>();
    for (int i = daemons.size() - 1; i >= 0; i--) {
      daemons.get(i).descendants().forEach(all::add);
    }
    for (int i = daemons.size() - 1; i >= 0; i--) {
      all.add(daemons.get(i).toHandle());
    }
    all.forEach(ProcessHandle::destroy);
    CompletableFuture<?>[] exits = all.stream().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new);
    try {
      CompletableFuture.allOf(exits).get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      all.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    }
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.ISO_8859_1) : "";
    } catch (IOException e) {
      return "";
    }
  }

  private static String tail(String text) {
    String[] lines = text.split("\n");
    return String.join("\n", Arrays.copyOfRange(lines, Math.max(0, lines.length - 20), lines.length));
  }
}
