package org.ringrift.cluster.bench.load;

import java.util.Optional;
import org.ringrift.cluster.client.ClusterClient;
import org.ringrift.cluster.client.ClusterException;
import org.ringrift.cluster.contract.Endpoint;
import org.ringrift.cluster.proto.DaemonInfo;
import org.ringrift.cluster.proto.NodeStatus;

/** One-node questions asked while nodes come and go: an unreachable node is an empty answer. */
final class Probes {
  static final String REAPER = "job_reaper";

  private Probes() {}

  static Optional<NodeStatus> status(ClusterClient probe, Endpoint endpoint) {
    try {
      return Optional.of(probe.statusOf(endpoint));
    } catch (ClusterException unreachable) {
      return Optional.empty();
    }
  }

  /** Whether the job reaper, a leader daemon, is RUNNING on this node for a term after {@code afterTerm}. */
  static boolean leaderDaemonsRunning(ClusterClient probe, Endpoint endpoint, long afterTerm) {
    try {
      for (DaemonInfo daemon : probe.listDaemons(endpoint).getDaemonsList()) {
        if (daemon.getName().equals(REAPER)) {
          return daemon.getState().equals("RUNNING") && daemon.getLeaderTerm() > afterTerm;
        }
      }
      return false;
    } catch (ClusterException unreachable) {
      return false;
    }
  }
}
