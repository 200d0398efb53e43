package org.ringrift.cluster.chaos;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One TCP proxy per directed Raft link (from node i to node j), so that links can be cut or
 * slowed one by one.
 *
 * <p>How a link gets its own address: peers connect to the addresses of the replicated Raft group
 * configuration, which are the same on every node. The harness writes those addresses as host
 * names ({@code rr-n1:port}) and gives each node process its own hosts file through the JDK's
 * {@code -Djdk.net.hosts.file} (passed in {@code RRNODE_JAVA_OPTS}): in node i's file its own
 * name is 127.0.0.1 (it binds its Raft port there) and node j's name is {@code 127.77.i.j}, where
 * this class listens on node j's Raft port and forwards to 127.0.0.1. Every address in 127/8 is
 * local on Linux, so no root, iptables or network namespace is needed.
 */
final class LinkProxies implements AutoCloseable {
  /**
   * What a link does with the bytes it carries. A link from i to j carries the connections node i
   * opens to node j: i's requests go forward, j's replies come back on the same connection.
   * CUT swallows both directions; CUT_REPLIES swallows only the way back (i's requests arrive,
   * i never hears an answer: one-way loss); DELAY holds each chunk; DROP loses a chunk now and
   * then, and since a TCP byte stream with a hole cannot be parsed, a loss resets the connection
   * (what a real connection does when retransmissions give up).
   */
  enum Mode { PASS, CUT, CUT_REPLIES, DELAY, DROP }

  private final int size;
  private final int[] raftPorts;
  private final Map<Long, Link> links = new ConcurrentHashMap<>();

  LinkProxies(int size, int[] raftPorts) throws IOException {
    this.size = size;
    this.raftPorts = raftPorts.clone();
    for (int from = 0; from < size; from++) {
      for (int to = 0; to < size; to++) {
        if (from != to) {
          Link link = new Link(from, to);
          links.put(key(from, to), link);
          link.start();
        }
      }
    }
  }

  /** The address node {@code from} uses to reach node {@code to}. */
  static String linkHost(int from, int to) {
    return "127.77." + (from + 1) + "." + (to + 1);
  }

  private static long key(int from, int to) {
    return ((long) from << 32) | to;
  }

  Link link(int from, int to) {
    return links.get(key(from, to));
  }

  /** Cuts (or heals) both directions between node a and node b. */
  void setBoth(int a, int b, Mode mode, long delayMs) {
    link(a, b).set(mode, delayMs);
    link(b, a).set(mode, delayMs);
  }

  /** Splits the cluster: every link between a node in {@code side} and one outside is cut. */
  void partition(Set<Integer> side) {
    for (int a = 0; a < size; a++) {
      for (int b = 0; b < size; b++) {
        if (a != b && side.contains(a) != side.contains(b)) {
          link(a, b).set(Mode.CUT, 0);
        }
      }
    }
  }

  /** Every link out of {@code node} loses its replies: node's requests arrive, their answers never do. */
  void cutRepliesTo(int node) {
    for (int to = 0; to < size; to++) {
      if (to != node) {
        link(node, to).set(Mode.CUT_REPLIES, 0);
      }
    }
  }

  /** Every link loses a chunk with probability {@code percent}/100, resetting its connection. */
  void dropAll(long percent) {
    links.values().forEach(l -> l.set(Mode.DROP, percent));
  }

  void delayAll(long delayMs) {
    links.values().forEach(l -> l.set(Mode.DELAY, delayMs));
  }

  void healAll() {
    links.values().forEach(l -> l.set(Mode.PASS, 0));
  }

  long bytesForwarded() {
    return links.values().stream().mapToLong(l -> l.bytes).sum();
  }

  /** Connections reset by DROP so far. */
  long resets() {
    return links.values().stream().mapToLong(l -> l.resets).sum();
  }

  @Override
  public void close() {
    links.values().forEach(Link::close);
  }

  /** One directed link: a listener and the connections accepted on it. */
  final class Link {
    final int from;
    final int to;
    private volatile Mode mode = Mode.PASS;
    private volatile long delayMs;
    private volatile long bytes;
    private volatile long resets;
    private final java.util.Random dropRandom;
    private final ServerSocket server;
    private final List<Socket> open = new ArrayList<>();
    private volatile boolean closed;

    Link(int from, int to) throws IOException {
      this.from = from;
      this.to = to;
      this.dropRandom = new java.util.Random(31L * from + to);
      server = new ServerSocket();
      server.setReuseAddress(true);
      server.bind(new InetSocketAddress(InetAddress.getByName(linkHost(from, to)), raftPorts[to]), 64);
    }

    void start() {
      Thread acceptor = new Thread(this::acceptLoop, "link-" + (from + 1) + "-" + (to + 1));
      acceptor.setDaemon(true);
      acceptor.start();
    }

    /**
     * CUT drops every byte both ways on the open connections and on new ones (a black hole, as a
     * partition looks to TCP), and healing closes the connections that lost bytes, so that gRPC
     * reconnects instead of parsing a torn HTTP/2 stream. DELAY holds every chunk for delayMs.
     */
    synchronized void set(Mode newMode, long newParam) {
      Mode old = mode;
      delayMs = newParam;
      mode = newMode;
      if ((old == Mode.CUT || old == Mode.CUT_REPLIES) && newMode != old) {
        closeOpen();
      }
    }

    /** DROP: whether this chunk is lost (param is the loss percentage). */
    private boolean lose() {
      synchronized (dropRandom) {
        return dropRandom.nextInt(100) < delayMs;
      }
    }

    private synchronized void closeOpen() {
      for (Socket socket : open) {
        closeQuietly(socket);
      }
      open.clear();
    }

    private void acceptLoop() {
      while (!closed) {
        try {
          Socket in = server.accept();
          Socket out = new Socket();
          try {
            out.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), raftPorts[to]), 2000);
          } catch (IOException e) {
            closeQuietly(in);
            continue;
          }
          in.setTcpNoDelay(true);
          out.setTcpNoDelay(true);
          synchronized (this) {
            open.add(in);
            open.add(out);
          }
          pump(in, out, true);
          pump(out, in, false);
        } catch (IOException e) {
          if (closed) {
            return;
          }
        }
      }
    }

    private void pump(Socket src, Socket dst, boolean forward) {
      Thread thread = new Thread(() -> {
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = src.getInputStream(); OutputStream out = dst.getOutputStream()) {
          int n;
          while ((n = in.read(buffer)) >= 0) {
            Mode now = mode;
            if (now == Mode.CUT || (now == Mode.CUT_REPLIES && !forward)) {
              continue;
            }
            if (now == Mode.DROP && lose()) {
              resets++;
              break;
            }
            if (now == Mode.DELAY && delayMs > 0) {
              // Fault injection, not synchronisation: the link is slow on purpose.
              TimeUnit.MILLISECONDS.sleep(delayMs);
            }
            out.write(buffer, 0, n);
            bytes += n;
          }
        } catch (IOException | InterruptedException e) {
          // connection over
        } finally {
          closeQuietly(src);
          closeQuietly(dst);
          synchronized (Link.this) {
            open.remove(src);
            open.remove(dst);
          }
        }
      }, "pump-" + (from + 1) + "-" + (to + 1));
      thread.setDaemon(true);
      thread.start();
    }

    void close() {
      closed = true;
      closeQuietly(server);
      closeOpen();
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (SocketException e) {
      // already closed
    } catch (Exception e) {
      // nothing to do
    }
  }
}
