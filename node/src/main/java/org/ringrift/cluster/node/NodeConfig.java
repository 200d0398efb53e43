package org.ringrift.cluster.node;

import java.net.InetAddress;
import java.nio.file.Path;
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
    boolean joining) {

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
  }

  public Member self() {
    return cluster.member(nodeId).orElseThrow();
  }

  /** Plaintext listeners are only safe when nobody else can reach them. */
  public boolean bindsLoopbackOnly() {
    try {
      return InetAddress.getByName(bindHost).isLoopbackAddress()
          && InetAddress.getByName(self().host()).isLoopbackAddress();
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
