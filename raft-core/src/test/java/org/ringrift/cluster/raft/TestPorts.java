package org.ringrift.cluster.raft;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for tests, below the ephemeral range so an outgoing connection cannot take one between
 * the check and the bind (Ratis exits the JVM when it cannot bind).
 */
public final class TestPorts {
  private TestPorts() {}

  /** The first of {@code count} consecutive free loopback ports in 20000-32000. */
  public static int freeBlock(int count) {
    for (int attempt = 0; attempt < 200; attempt++) {
      int base = 20_000 + ThreadLocalRandom.current().nextInt(12_000 - count);
      if (allFree(base, count)) {
        return base;
      }
    }
    throw new IllegalStateException("no block of " + count + " free ports in 20000-32000");
  }

  private static boolean allFree(int base, int count) {
    for (int port = base; port < base + count; port++) {
      try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        socket.setReuseAddress(true);
      } catch (IOException e) {
        return false;
      }
    }
    return true;
  }
}
