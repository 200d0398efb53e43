package org.ringrift.cluster.daemons.node;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.ringrift.cluster.daemons.Daemon;
import org.ringrift.cluster.daemons.DaemonContext;
import org.ringrift.cluster.daemons.Proposals;
import org.ringrift.cluster.proto.Command;
import org.ringrift.cluster.proto.CommandResult;
import org.ringrift.cluster.proto.HeartbeatRequest;

/** Reports this node's liveness, roles, capabilities and daemon states through the log. */
public final class Heartbeat implements Daemon {
  private final Proposals proposals;
  private final String nodeId;
  private final List<String> roles;
  private final List<String> capabilities;
  private final Supplier<Map<String, String>> daemonStates;
  private final Duration interval;
  private final HeartbeatExtension extension;

  public Heartbeat(Proposals proposals, String nodeId, List<String> roles, List<String> capabilities,
      Supplier<Map<String, String>> daemonStates, Duration interval) {
    this(proposals, nodeId, roles, capabilities, daemonStates, interval, HeartbeatExtension.NONE);
  }

  public Heartbeat(Proposals proposals, String nodeId, List<String> roles, List<String> capabilities,
      Supplier<Map<String, String>> daemonStates, Duration interval, HeartbeatExtension extension) {
    this.extension = extension;
    this.proposals = proposals;
    this.nodeId = nodeId;
    this.roles = roles;
    this.capabilities = capabilities;
    this.daemonStates = daemonStates;
    this.interval = interval;
  }

  @Override
  public void tick(DaemonContext context) throws Exception {
    Runtime runtime = Runtime.getRuntime();
    HeartbeatRequest.Builder heartbeat = HeartbeatRequest.newBuilder();
    extension.addTo(heartbeat);
    CommandResult result = proposals.propose(context, Command.newBuilder().setHeartbeat(heartbeat
        .setNodeId(nodeId).addAllRoles(roles).addAllCapabilities(capabilities)
        .putResources("cpus", Integer.toString(runtime.availableProcessors()))
        .putResources("heap_used_mb", Long.toString((runtime.totalMemory() - runtime.freeMemory()) >> 20))
        .putResources("heap_max_mb", Long.toString(runtime.maxMemory() >> 20))
        .putAllDaemonStates(daemonStates.get())));
    if (result.hasRejected()) {
      throw new IllegalStateException("heartbeat rejected: " + result.getRejected().getMessage());
    }
    extension.accepted(heartbeat.build());
  }

  @Override
  public Duration interval() {
    return interval;
  }
}
