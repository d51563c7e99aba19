package io.sparknn.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launchers in {@code jobs/} as a user runs them from another directory: the paths the user gives stay
 * relative to that directory, and what the project ships (default configs, the embedded MNIST) is still found.
 * {@code java} is replaced by a script that prints its working directory, environment and arguments.
 */
class LauncherTest {
  @TempDir
  Path tmp;

  private List<String> launch(String script, String... args) throws Exception {
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Path java = bin.resolve("java");
    Files.writeString(java, "#!/usr/bin/env bash\necho \"pwd=$PWD\"\necho \"data=$SPARKNN_DATA\"\n"
        + "for a in \"$@\"; do echo \"arg=$a\"; done\n");
    assertTrue(java.toFile().setExecutable(true));
    Path user = Files.createDirectories(tmp.resolve("user"));
    // The build steps are stubbed: this test is about paths, not about Maven.
    String stubs = "ensure_jar() { :; }; run_copy_of_jar() { RUN_JAR=app.jar; }; "
        + "ensure_classpath() { CLASSPATH_DEPS=deps; }; ";
    String root = Path.of("").toAbsolutePath().toString();
    String cmd = "source '" + root + "/jobs/lib.sh'; " + stubs + "source <(sed -e '/^source /d' '" + root + "/jobs/"
        + script + "') \"$@\"";
    ProcessBuilder pb = new ProcessBuilder(new java.util.ArrayList<>(List.of("bash", "-c", cmd, "launcher")));
    pb.command().addAll(List.of(args));
    pb.directory(user.toFile()).redirectErrorStream(true);
    pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    pb.environment().remove("SPARK_HOME");
    pb.environment().remove("SPARKNN_DATA");
    Process p = pb.start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    return List.of(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n"));
  }

  @Test
  void pathsAUserGivesStayRelativeToTheirDirectory() throws Exception {
    List<String> out = launch("train-mnist.sh", "my.yaml", "output.run=myrun");
    assertEquals("pwd=" + tmp.resolve("user").toRealPath(), out.get(0), String.join("\n", out));
    assertTrue(out.contains("arg=my.yaml") && out.contains("arg=output.run=myrun"), String.join("\n", out));
  }

  @Test
  void theDefaultConfigAndTheEmbeddedDataAreFoundFromAnywhere() throws Exception {
    List<String> out = launch("train-mnist.sh", "epochs=1");
    Path root = Path.of("").toAbsolutePath();
    assertTrue(out.contains("arg=" + root.resolve("conf/mnist-mlp.yaml")), String.join("\n", out));
    assertEquals("data=file://" + root.resolve("data/mnist"), out.get(1));
  }
}
