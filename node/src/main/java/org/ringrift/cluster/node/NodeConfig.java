package org.ringrift.cluster.node;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Optional;
import org.ringrift.cluster.contract.tls.TlsFiles;
import org.ringrift.cluster.raft.ClusterSpec;
import org.ringrift.cluster.raft.Member;
import org.ringrift.cluster.raft.RaftSettings;

/** Everything one rrnode needs, validated once at construction. */
public record NodeConfig(
    String nodeId,
    ClusterSpec cluster,
    Path dataDir,
    String bindHost,
    int adminPort,
    int httpPort,
    RaftSettings raft,
    DaemonSettings daemons,
    long readyMaxLagEntries,
    boolean joining,
    Optional<TlsFiles> tls,
    boolean insecure) {

  /** A plaintext node; it must bind loopback only. */
  public NodeConfig(String nodeId, ClusterSpec cluster, Path dataDir, String bindHost, int adminPort, int httpPort,
      RaftSettings raft, DaemonSettings daemons, long readyMaxLagEntries, boolean joining) {
    this(nodeId, cluster, dataDir, bindHost, adminPort, httpPort, raft, daemons, readyMaxLagEntries, joining,
        Optional.empty(), false);
  }

  public NodeConfig {
    Member self = cluster.member(nodeId).orElseThrow(() -> new IllegalArgumentException(
        "--id " + nodeId + " is not in --peers (" + cluster.members().stream().map(Member::id).toList() + ")"));
    requirePort("--admin-port", adminPort);
    requirePort("--http-port", httpPort);
    if (adminPort == httpPort || adminPort == self.raftPort() || httpPort == self.raftPort()) {
      throw new IllegalArgumentException("admin port " + adminPort + ", http port " + httpPort
          + " and raft port " + self.raftPort() + " must all differ");
    }
    if (readyMaxLagEntries < 0) {
      throw new IllegalArgumentException("readyMaxLagEntries must be >= 0");
    }
    if (tls.isEmpty() && !insecure && !loopback(bindHost, self.host())) {
      throw new IllegalArgumentException("refusing plaintext on a non-loopback address (--bind " + bindHost
          + ", raft " + self.address() + "): give --tls-dir (or --tls-ca/--tls-cert/--tls-key), or --insecure "
          + "to accept unauthenticated traffic (docs/SECURITY.md)");
    }
    if (tls.isPresent() && insecure) {
      throw new IllegalArgumentException("--insecure and TLS options exclude each other");
    }
  }

  /** How this node's listeners are protected, as /status and rrctl doctor report it. */
  public Transport transport() {
    return tls.isPresent() ? Transport.MTLS : insecure ? Transport.INSECURE : Transport.PLAINTEXT_LOOPBACK;
  }

  public Member self() {
    return cluster.member(nodeId).orElseThrow();
  }

  /** Plaintext listeners are only safe when nobody else can reach them. */
  public boolean bindsLoopbackOnly() {
    return loopback(bindHost, self().host());
  }

  public static boolean loopback(String... hosts) {
    try {
      for (String host : hosts) {
        if (!InetAddress.getByName(host).isLoopbackAddress()) {
          return false;
        }
      }
      return true;
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  private static void requirePort(String flag, int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(flag + " " + port + " is out of range 1-65535");
    }
  }
}
