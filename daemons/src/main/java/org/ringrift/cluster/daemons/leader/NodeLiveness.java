package org.ringrift.cluster.daemons.leader;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.ringrift.cluster.daemons.Daemon;
import org.ringrift.cluster.daemons.DaemonContext;
import org.ringrift.cluster.daemons.Proposals;
import org.ringrift.cluster.proto.Command;
import org.ringrift.cluster.proto.ConfigEntry;
import org.ringrift.cluster.proto.GetConfigRequest;
import org.ringrift.cluster.proto.ListNodesRequest;
import org.ringrift.cluster.proto.NodeHealth;
import org.ringrift.cluster.proto.NodeRecord;
import org.ringrift.cluster.proto.Query;
import org.ringrift.cluster.proto.SetNodeHealthRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Judges nodes alive, suspect or dead by heartbeat age. A new leader judges nobody until it has
 * led for the suspect threshold, so every node has had a full interval to reach it.
 */
public final class NodeLiveness implements Daemon {
  private static final Logger LOG = LoggerFactory.getLogger(NodeLiveness.class);

  private final Proposals proposals;
  private final Clock clock;
  private final Duration interval;

  public NodeLiveness(Proposals proposals, Clock clock, Duration interval) {
    this.proposals = proposals;
    this.clock = clock;
    this.interval = interval;
  }

  @Override
  public void tick(DaemonContext context) throws Exception {
    long suspectMs = config("nodes.suspect_after_ms");
    long deadMs = config("nodes.dead_after_ms");
    if (context.leaderFor().toMillis() < suspectMs) {
      return;
    }
    List<NodeRecord> nodes = proposals.read(Query.newBuilder().setListNodes(ListNodesRequest.getDefaultInstance())
        .build()).getListNodes().getNodesList();
    long now = clock.millis();
    for (NodeRecord node : nodes) {
      if (node.getLastHeartbeatMs() == 0) {
        continue;
      }
      long age = now - node.getLastHeartbeatMs();
      NodeHealth judged = age >= deadMs ? NodeHealth.NODE_HEALTH_DEAD
          : age >= suspectMs ? NodeHealth.NODE_HEALTH_SUSPECT : NodeHealth.NODE_HEALTH_ALIVE;
      if (judged != node.getHealth()) {
        proposals.propose(context, Command.newBuilder().setSetNodeHealth(
            SetNodeHealthRequest.newBuilder().setNodeId(node.getNodeId()).setHealth(judged)));
        LOG.info("node health node={} from={} to={} heartbeat_age_ms={} term={}", node.getNodeId(),
            node.getHealth(), judged, age, context.leaderTerm());
      }
    }
  }

  private long config(String key) throws Exception {
    List<ConfigEntry> entries = proposals.read(Query.newBuilder()
        .setGetConfig(GetConfigRequest.newBuilder().setKey(key)).build()).getGetConfig().getEntriesList();
    return Long.parseLong(entries.get(0).getValue());
  }

  @Override
  public Duration interval() {
    return interval;
  }
}
