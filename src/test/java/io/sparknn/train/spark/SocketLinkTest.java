package io.sparknn.train.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sparknn.tensor.PackedDoubles;
import io.sparknn.tensor.PackedFloats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One {@link SocketLink} over a real loopback connection, without Spark: the handshake admits the session's token
 * for a free partition, turns away anything else and tells the driver where the task's peers can reach it; the
 * peers' addresses arrive as sent; a round's weights, packed in either wire format, arrive with every bit,
 * followed by a stop. The replies' bits are checked through whole training runs in
 * {@link ChannelOverSocketsTest}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SocketLinkTest {
  private static final long[] TOKEN = {0x5eed_1234_5678_9abcL, -42L};

  private ServerSocket server;

  @BeforeEach
  void listen() throws IOException {
    ServerSocketChannel listener = ServerSocketChannel.open();
    listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    server = listener.socket();
  }

  @AfterEach
  void stop() throws IOException {
    server.close();
  }

  @Test
  void aRoundArrivesBitForBitThenAStopEndsTheRounds() throws Exception {
    double[] weights = {1.5, -0.0, Double.MIN_VALUE, Double.NaN, -3e300, 0.1};
    double[] state = {2.0, 7.25};
    for (WireFormat wire : WireFormat.values()) {
      ChannelLink[] links = new ChannelLink[2];
      CompletableFuture<SocketLink> task = connectAs(1, TOKEN);
      assertEquals(1, SocketLink.accepted(server.accept(), TOKEN, links));
      try (ChannelLink driver = links[1]; SocketLink t = task.get(30, TimeUnit.SECONDS)) {
        ByteBuffer packed = wire.packDirect(null, weights, state);
        driver.sendRound(new ChannelRound(3, 17, 2, packed, null, null));
        ChannelRound r = t.nextRound();
        assertEquals(3, r.epoch());
        assertEquals(17, r.step());
        assertEquals(2, r.attempt());
        assertEquals(packed, r.packed(), wire + ": the bytes between position and limit");
        assertEquals(0, packed.position(), "sending leaves the driver's buffer as it was");
        double[] back = new double[weights.length];
        double[] expected = wire == WireFormat.FLOAT64 ? weights : rounded(weights);
        if (wire == WireFormat.FLOAT64) {
          PackedDoubles.unpack(r.packed(), 0, back);
        } else {
          PackedFloats.unpack(r.packed(), 0, back);
        }
        for (int i = 0; i < back.length; i++) {
          assertEquals(Double.doubleToRawLongBits(expected[i]), Double.doubleToRawLongBits(back[i]), wire + " " + i);
        }
        driver.sendStop();
        assertNull(t.nextRound());
      }
    }
  }

  @Test
  void theHandshakeCarriesThePeersPortAndThePeersFrameEveryAddress() throws Exception {
    ChannelLink[] links = new ChannelLink[3];
    CompletableFuture<SocketLink> task = CompletableFuture.supplyAsync(() -> {
      try {
        return SocketLink.connect(server.getInetAddress().getHostAddress(), server.getLocalPort(), TOKEN, 2, 40_123);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    assertEquals(2, SocketLink.accepted(server.accept(), TOKEN, links));
    try (SocketLink driver = (SocketLink) links[2]; SocketLink t = task.get(30, TimeUnit.SECONDS)) {
      InetSocketAddress at = driver.peerAddress();
      assertEquals(40_123, at.getPort());
      assertEquals(InetAddress.getLoopbackAddress(), at.getAddress(), "the task's host as the driver sees it");
      InetSocketAddress[] peers = {new InetSocketAddress(InetAddress.getByName("10.1.2.3"), 7001),
          new InetSocketAddress(InetAddress.getByName("::1"), 7002), at};
      driver.sendPeers(peers);
      assertArrayEquals(peers, t.nextPeers());
    }
  }

  @Test
  void aWrongTokenOrATakenPartitionIsTurnedAway() throws Exception {
    ChannelLink[] links = new ChannelLink[2];
    CompletableFuture<SocketLink> stranger = connectAs(0, new long[] {TOKEN[0], TOKEN[1] + 1});
    assertEquals(-1, SocketLink.accepted(server.accept(), TOKEN, links));
    try (SocketLink s = stranger.get(30, TimeUnit.SECONDS)) {
      assertThrows(IOException.class, s::nextRound, "the driver closed the stranger's connection");
    }
    assertNull(links[0]);
    CompletableFuture<SocketLink> first = connectAs(0, TOKEN);
    assertEquals(0, SocketLink.accepted(server.accept(), TOKEN, links));
    ChannelLink kept = links[0];
    CompletableFuture<SocketLink> second = connectAs(0, TOKEN);
    assertEquals(-1, SocketLink.accepted(server.accept(), TOKEN, links), "partition 0 is already linked");
    assertSame(kept, links[0]);
    CompletableFuture<SocketLink> outOfRange = connectAs(2, TOKEN);
    assertEquals(-1, SocketLink.accepted(server.accept(), TOKEN, links), "there is no partition 2");
    first.get(30, TimeUnit.SECONDS).close();
    second.get(30, TimeUnit.SECONDS).close();
    outOfRange.get(30, TimeUnit.SECONDS).close();
    kept.close();
  }

  private CompletableFuture<SocketLink> connectAs(int p, long[] token) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return SocketLink.connect(server.getInetAddress().getHostAddress(), server.getLocalPort(), token, p, 0);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  private static double[] rounded(double[] v) {
    double[] r = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      r[i] = (float) v[i];
    }
    return r;
  }
}
