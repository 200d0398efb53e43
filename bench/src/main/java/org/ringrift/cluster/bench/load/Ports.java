package org.ringrift.cluster.bench.load;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Blocks of free loopback ports below the ephemeral range: Ratis exits the JVM when it cannot
 * bind, and a port from {@code new ServerSocket(0)} can be taken by an outgoing connection
 * before the node binds it (BUILD-FACTS.md).
 */
final class Ports {
  private static final int LOW = 20_000;
  private static final int HIGH = 32_000;
  private static final int ATTEMPTS = 200;

  private Ports() {}

  static int freeBlock(int count) {
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      int base = ThreadLocalRandom.current().nextInt(LOW, HIGH - count);
      if (allFree(base, count)) {
        return base;
      }
    }
    throw new IllegalStateException("no block of " + count + " free ports in " + LOW + "-" + HIGH
        + " after " + ATTEMPTS + " attempts");
  }

  private static boolean allFree(int base, int count) {
    for (int port = base; port < base + count; port++) {
      try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        socket.setReuseAddress(true);
      } catch (IOException taken) {
        return false;
      }
    }
    return true;
  }
}
