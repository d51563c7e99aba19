package io.sparknn.train.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknn.tensor.PackedDoubles;
import io.sparknn.train.PairwiseSum;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link PeerMesh} among three "tasks" on threads of this JVM over real loopback connections, without Spark:
 * every task ends with the whole weight vector, and with its slice of the gradient summed in partition order to the
 * bit even when partition 0's slices arrive last (one entry's sum differs in any other order), also from slices
 * sent without their zeros (fewer bytes, {@code -0.0} kept), in partition order and along the fixed shards' tree; a
 * stranger without the token is turned away; a peer that goes away fails the others instead of leaving them
 * waiting.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PeerMeshTest {
  private static final long[] TOKEN = {0x1234_5678_9abc_def0L, 77L};

  @Test
  void everyTaskGathersTheWeightsAndSumsItsSliceInPartitionOrder() throws Exception {
    int n = 3;
    int values = 11;
    Random random = new Random(5);
    double[] weights = new double[values];
    for (int i = 0; i < values; i++) {
      weights[i] = random.nextGaussian();
    }
    weights[1] = -0.0;
    weights[4] = Double.NaN;
    double[][] gradients = new double[n][values];
    for (double[] g : gradients) {
      for (int i = 0; i < values; i++) {
        g[i] = random.nextGaussian() * 1e3;
      }
    }
    // Entry 9 (in the last slice) sums to 0.0 in partition order, (1e16 + -1e16) + 1 = 1.0 in arrival order 0, 2, 1.
    gradients[0][9] = 1e16;
    gradients[1][9] = 1.0;
    gradients[2][9] = -1e16;
    // Partition 2's gradient mostly +0.0, as a small batch's first layer is: its slices go without their zeros,
    // the -0.0 among them kept.
    for (int i = 0; i < values; i++) {
      if (i != 9 && i != 3) {
        gradients[2][i] = 0.0;
      }
    }
    gradients[2][3] = -0.0;
    double[] expected = new double[values];
    for (double[] g : gradients) {
      for (int i = 0; i < values; i++) {
        expected[i] += g[i];
      }
    }
    assertEquals(0.0, expected[9]);
    assertNotEquals(expected[9], (gradients[0][9] + gradients[2][9]) + gradients[1][9]);
    ByteBuffer packedWeights = direct(values * Double.BYTES);
    PackedDoubles.packInto(packedWeights, weights);
    int[] starts = byteStarts(n, values);
    List<PeerMesh> meshes = new ArrayList<>();
    try {
      List<CompletableFuture<double[][]>> tasks = onEveryTask(n, meshes, (mesh, p) -> {
        ByteBuffer whole = direct(values * Double.BYTES);
        for (int i = 0; i < values; i++) {
          whole.putDouble(i * Double.BYTES, 42.0);  // what a stale buffer would leave
        }
        ByteBuffer own = packedWeights.duplicate().limit(starts[p + 1]).position(starts[p]);
        mesh.allGather(own, whole, starts);
        double[] gathered = new double[values];
        PackedDoubles.unpack(whole, 0, gathered);
        if (p == 0) {
          Thread.sleep(300);  // partition 0's slices reach the others last
        }
        double[] slice = new double[(starts[p + 1] - starts[p]) / Double.BYTES];
        mesh.reduceScatter(gradients[p], starts, slice);
        return new double[][] {gathered, slice, {mesh.gradientBytesSent()}};
      });
      for (int p = 0; p < n; p++) {
        double[][] got = tasks.get(p).get(30, TimeUnit.SECONDS);
        for (int i = 0; i < values; i++) {
          assertEquals(Double.doubleToRawLongBits(weights[i]), Double.doubleToRawLongBits(got[0][i]),
              "task " + p + ", weight " + i);
        }
        assertSliceBits(expected, starts, p, got[1]);
        // the slices it sent: dense from partitions 0 and 1; from partition 2 an 8-byte mask each and the slices'
        // values other than +0.0 (none in slice 0, the -0.0 in slice 1)
        int dense = values * Double.BYTES - (starts[p + 1] - starts[p]);
        assertEquals(p == 2 ? (8 + 8) + 8 : dense, (long) got[2][0], "task " + p + "'s gradient bytes sent");
      }
      assertEquals(List.of(0, 24, 56, 88), List.of(starts[0], starts[1], starts[2], starts[3]),
          "slices of 3, 4 and 4 values, -0.0 (entry 3) in the second, entry 9 in the last");
    } finally {
      meshes.forEach(PeerMesh::close);
    }
  }

  @Test
  void alongTheShardsTreeSlicesWithoutTheirZerosAddToTheBitsOfTheDenseOnes() throws Exception {
    int n = 3;
    int values = 200;
    Random random = new Random(11);
    double[][] gradients = new double[n][values];
    for (int p = 0; p < n; p++) {
      for (int i = 0; i < values; i++) {
        // partitions 1 and 2 mostly +0.0 (their slices go without their zeros), with a -0.0 kept
        gradients[p][i] = p > 0 && i % 5 != 0 ? 0.0 : random.nextGaussian() * Math.pow(10, random.nextInt(12));
      }
    }
    gradients[2][7] = -0.0;
    int[] spans = {2, 1, 1};
    PairwiseSum tree = new PairwiseSum().reset(values, 0);
    for (int p = 0; p < n; p++) {
      tree.push(gradients[p], 0, 0, new double[0], spans[p]);
    }
    double[] expected = tree.gradient();
    int[] starts = byteStarts(n, values);
    List<PeerMesh> meshes = new ArrayList<>();
    try {
      List<CompletableFuture<double[]>> tasks = onEveryTask(n, meshes, (mesh, p) -> {
        double[] slice = new double[(starts[p + 1] - starts[p]) / Double.BYTES];
        mesh.reduceScatter(gradients[p], starts, slice, spans);
        return slice;
      });
      for (int p = 0; p < n; p++) {
        assertSliceBits(expected, starts, p, tasks.get(p).get(30, TimeUnit.SECONDS));
      }
      // partitions 1 and 2 sent fewer bytes than their dense slices; partition 0, dense, exactly those
      for (int p = 0; p < n; p++) {
        long dense = (long) values * Double.BYTES - (starts[p + 1] - starts[p]);
        long sent = meshes.get(p).gradientBytesSent();
        assertTrue(p == 0 ? sent == dense : sent < dense / 2, "task " + p + " sent " + sent + " of " + dense);
      }
    } finally {
      meshes.forEach(PeerMesh::close);
    }
  }

  @Test
  void aStrangerIsTurnedAwayAndALostPeerFailsTheOther() throws Exception {
    try (PeerMesh a = PeerMesh.listen(); PeerMesh b = PeerMesh.listen()) {
      InetSocketAddress[] peers = {new InetSocketAddress(InetAddress.getLoopbackAddress(), a.port()),
          new InetSocketAddress(InetAddress.getLoopbackAddress(), b.port())};
      try (SocketChannel stranger = SocketChannel.open(peers[0])) {
        ByteBuffer hello = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN).putLong(TOKEN[0])
            .putLong(TOKEN[1] + 1).putInt(1).flip();
        stranger.write(hello);
        CompletableFuture<Void> joinA = CompletableFuture.runAsync(() -> join(a, peers, 0));
        join(b, peers, 1);
        joinA.get(30, TimeUnit.SECONDS);
        assertEquals(-1, stranger.read(ByteBuffer.allocate(1)), "a closed the stranger's connection");
      }
      int[] starts = {0, 8, 16};
      b.close();
      ByteBuffer whole = direct(16);
      assertThrows(IOException.class, () -> a.allGather(direct(8), whole, starts));
    }
  }

  /** The first byte of each of {@code n} slices of {@code values} float64 values, and the end. */
  private static int[] byteStarts(int n, int values) {
    int[] starts = new int[n + 1];
    for (int q = 0; q <= n; q++) {
      starts[q] = SliceRecord.start(q, n, values) * Double.BYTES;
    }
    return starts;
  }

  /** What one task does once its mesh has joined the others. */
  private interface TaskBody<T> {
    T run(PeerMesh mesh, int p) throws IOException, InterruptedException;
  }

  /**
   * {@code n} tasks on threads of their own, each with a mesh listening on loopback (added to {@code meshes}),
   * joining the others and then running {@code body}.
   */
  private static <T> List<CompletableFuture<T>> onEveryTask(int n, List<PeerMesh> meshes, TaskBody<T> body)
      throws IOException {
    InetSocketAddress[] peers = new InetSocketAddress[n];
    for (int q = 0; q < n; q++) {
      meshes.add(PeerMesh.listen());
      peers[q] = new InetSocketAddress(InetAddress.getLoopbackAddress(), meshes.get(q).port());
    }
    List<CompletableFuture<T>> tasks = new ArrayList<>();
    for (int q = 0; q < n; q++) {
      int p = q;
      PeerMesh mesh = meshes.get(q);
      tasks.add(CompletableFuture.supplyAsync(() -> {
        try {
          mesh.join(peers, TOKEN, p);
          return body.run(mesh, p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      }));
    }
    return tasks;
  }

  /** Task {@code p}'s summed slice bit for bit as {@code expected}'s. */
  private static void assertSliceBits(double[] expected, int[] starts, int p, double[] slice) {
    int from = starts[p] / Double.BYTES;
    for (int i = 0; i < slice.length; i++) {
      assertEquals(Double.doubleToRawLongBits(expected[from + i]), Double.doubleToRawLongBits(slice[i]),
          "task " + p + ", gradient " + (from + i));
    }
  }

  private static void join(PeerMesh mesh, InetSocketAddress[] peers, int self) {
    try {
      mesh.join(peers, TOKEN, self);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ByteBuffer direct(int bytes) {
    return ByteBuffer.allocateDirect(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }
}
