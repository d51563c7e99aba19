package example;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknn.nn.LayerSpec;
import io.sparknn.nn.LayerTypes;
import io.sparknn.nn.ModelSpec;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Layer types are found through the thread's context class loader, where Spark puts an application's jars on
 * executors, including a jar added after the registry was first read. Types registered here stay out of the
 * other tests' registry.
 */
class ContextClassLoaderTest {
  @TempDir
  Path jar;

  @Test
  void aServicesFileSeenOnlyByTheContextLoaderRegistersItsType() throws Exception {
    Thread thread = Thread.currentThread();
    ClassLoader before = thread.getContextClassLoader();
    try (URLClassLoader added = new URLClassLoader(new URL[] {jar.toUri().toURL()}, before)) {
      thread.setContextClassLoader(added);
      assertFalse(LayerTypes.find("Identity").isPresent(), "nothing registers it yet");
      Path services = jar.resolve("META-INF/services/io.sparknn.nn.LayerType");
      Files.createDirectories(services.getParent());
      Files.writeString(services, Identity.Type.class.getName() + "\n");
      assertTrue(LayerTypes.find("identity").isPresent(), "read again after a miss");
      assertEquals("Identity\n", new ModelSpec(3, List.of(LayerSpec.of("Identity")))
          .build(1).toString());
      assertTrue(LayerTypes.names().contains("Swish"), "the parent loader's services too");
    } finally {
      thread.setContextClassLoader(before);
    }
    assertFalse(LayerTypes.find("Identity").isPresent(), "another loader's registry is its own");
  }

  @Test
  void aTypeWhoseSizesDisagreeWithWhatItBuildsIsCaughtWhenBuilding() throws Exception {
    Thread thread = Thread.currentThread();
    ClassLoader before = thread.getContextClassLoader();
    Path services = jar.resolve("META-INF/services/io.sparknn.nn.LayerType");
    Files.createDirectories(services.getParent());
    Files.writeString(services, Identity.Miscounted.class.getName() + "\n");
    try (URLClassLoader added = new URLClassLoader(new URL[] {jar.toUri().toURL()}, before)) {
      thread.setContextClassLoader(added);
      ModelSpec spec = new ModelSpec(3, List.of(LayerSpec.of("MiscountedIdentity")));
      assertArrayEquals(new long[] {1, 0}, spec.countParameters());
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> spec.build(1));
      assertTrue(e.getMessage().startsWith("MiscountedIdentity's layer type claims Size[parameters=1"),
          e.getMessage());
    } finally {
      thread.setContextClassLoader(before);
    }
  }
}
