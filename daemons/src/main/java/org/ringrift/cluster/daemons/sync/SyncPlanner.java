package org.ringrift.cluster.daemons.sync;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.ringrift.cluster.contract.names.ConfigKeys;
import org.ringrift.cluster.contract.names.DatasetKinds;
import org.ringrift.cluster.contract.names.EventTypes;
import org.ringrift.cluster.daemons.Daemon;
import org.ringrift.cluster.daemons.DaemonContext;
import org.ringrift.cluster.daemons.Proposals;
import org.ringrift.cluster.proto.Command;
import org.ringrift.cluster.proto.CommandResult;
import org.ringrift.cluster.proto.Event;
import org.ringrift.cluster.proto.GetConfigRequest;
import org.ringrift.cluster.proto.ListNodesRequest;
import org.ringrift.cluster.proto.NodeHealth;
import org.ringrift.cluster.proto.NodeRecord;
import org.ringrift.cluster.proto.PlanSyncRequest;
import org.ringrift.cluster.proto.Query;
import org.ringrift.cluster.proto.RecentEventsRequest;
import org.ringrift.cluster.proto.SyncHistoryRequest;
import org.ringrift.cluster.proto.SyncRecord;
import org.ringrift.cluster.proto.SyncStatus;
import org.ringrift.cluster.proto.UpdateSyncRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's sync planner: each tick it fails transfers whose source or target is no longer
 * alive, or that made no progress for sync.stall_ms (so they get replanned from another source),
 * then plans new ones (see {@link PlanMaker}). Every command carries the leader's term.
 */
public final class SyncPlanner implements Daemon {
  private static final Logger LOG = LoggerFactory.getLogger(SyncPlanner.class);
  private static final int HISTORY_WINDOW = 1000;
  private static final int TRIGGER_WINDOW = 100;
  private static final long TRIGGER_TTL_MS = 3_600_000;

  private final Proposals proposals;
  private final Clock clock;
  private final Duration interval;
  private final Duration failoverGrace;
  private final RouteParser routeParser;

  public SyncPlanner(Proposals proposals, Clock clock, Duration interval, Duration failoverGrace,
      RouteParser routeParser) {
    this.proposals = proposals;
    this.routeParser = routeParser;
    this.clock = clock;
    this.interval = interval;
    this.failoverGrace = failoverGrace;
  }

  @Override
  public void tick(DaemonContext context) throws Exception {
    List<NodeRecord> nodes = proposals.read(Query.newBuilder().setListNodes(ListNodesRequest.getDefaultInstance())
        .build()).getListNodes().getNodesList();
    List<SyncRecord> recent = proposals.read(Query.newBuilder().setSyncHistory(SyncHistoryRequest.newBuilder()
        .setLimit(HISTORY_WINDOW)).build()).getSyncHistory().getRecordsList();
    if (context.leaderFor().compareTo(failoverGrace) >= 0 && failDeadTransfers(context, nodes, recent)) {
      return; // plan next tick, on the history these failures wrote
    }
    long perHost = config(ConfigKeys.SYNC_PER_HOST_BYTES_PER_S);
    long total = config(ConfigKeys.SYNC_TOTAL_BYTES_PER_S);
    Map<String, Predicate<NodeRecord>> routes = new HashMap<>();
    for (String kind : DatasetKinds.ALL) {
      routes.put(kind, routeParser.parse(text(ConfigKeys.syncRouteKey(kind))));
    }
    PlanMaker.Inputs inputs = new PlanMaker.Inputs(nodes, recent, routes, triggers(),
        (int) Math.max(1, total / perHost), (int) config(ConfigKeys.SYNC_MAX_PLANS_PER_CYCLE),
        (int) config(ConfigKeys.SYNC_MAX_ATTEMPTS));
    for (PlanSyncRequest plan : PlanMaker.plan(inputs)) {
      CommandResult result = proposals.propose(context, Command.newBuilder().setPlanSync(plan));
      if (result.hasRejected()) {
        LOG.info("sync plan rejected term={} reason={}", context.leaderTerm(), result.getRejected().getMessage());
        return;
      }
      SyncRecord record = result.getSync().getRecord();
      LOG.info("sync planned sync={} file={}/{} source={} target={} bytes={} term={}", record.getSyncId(),
          plan.getDataset(), plan.getFile(), plan.getSourceNode(), plan.getTargetNode(), plan.getSizeBytes(),
          context.leaderTerm());
    }
  }

  /** Fails in-flight transfers that cannot finish; true when it failed any. */
  private boolean failDeadTransfers(DaemonContext context, List<NodeRecord> nodes, List<SyncRecord> recent)
      throws Exception {
    Map<String, NodeHealth> health = new HashMap<>();
    nodes.forEach(n -> health.put(n.getNodeId(), n.getHealth()));
    long stallMs = config(ConfigKeys.SYNC_STALL_MS);
    boolean any = false;
    for (SyncRecord r : recent) {
      if (r.getStatus() != SyncStatus.SYNC_STATUS_PLANNED && r.getStatus() != SyncStatus.SYNC_STATUS_RUNNING) {
        continue;
      }
      String error = null;
      if (health.getOrDefault(r.getSourceNode(), NodeHealth.NODE_HEALTH_DEAD) != NodeHealth.NODE_HEALTH_ALIVE) {
        error = "source " + r.getSourceNode() + " is not alive; replanning";
      } else if (health.getOrDefault(r.getTargetNode(), NodeHealth.NODE_HEALTH_DEAD) != NodeHealth.NODE_HEALTH_ALIVE) {
        error = "target " + r.getTargetNode() + " is not alive";
      } else if (clock.millis() - r.getUpdatedMs() > stallMs) {
        error = "no progress for " + stallMs + " ms; replanning";
      }
      if (error != null) {
        CommandResult result = proposals.propose(context, Command.newBuilder().setUpdateSync(UpdateSyncRequest
            .newBuilder().setSyncId(r.getSyncId()).setStatus(SyncStatus.SYNC_STATUS_FAILED)
            .setBytesDone(r.getBytesDone()).setError(error).setMethod(r.getMethod())));
        LOG.info("sync failed by planner sync={} reason={} rejected={}", r.getSyncId(), error, result.hasRejected());
        any = true;
      }
    }
    return any;
  }

  /**
   * Operator triggers of the last hour. One with a target makes that node a receiver of the
   * dataset for that hour even if the policy does not route it there; one without a target
   * changes nothing (the planner runs every tick anyway) but is recorded.
   */
  private Set<PlanMaker.Trigger> triggers() throws Exception {
    Set<PlanMaker.Trigger> triggers = new HashSet<>();
    List<Event> events = proposals.read(Query.newBuilder().setRecentEvents(RecentEventsRequest.newBuilder()
        .setType(EventTypes.SYNC_TRIGGERED).setLimit(TRIGGER_WINDOW)).build()).getRecentEvents().getEventsList();
    for (Event event : events) {
      if (!event.getMessage().isEmpty() && clock.millis() - event.getTimeMs() < TRIGGER_TTL_MS) {
        triggers.add(new PlanMaker.Trigger(event.getSubject(), event.getMessage()));
      }
    }
    return triggers;
  }

  private long config(String key) throws Exception {
    return Long.parseLong(text(key));
  }

  private String text(String key) throws Exception {
    return proposals.read(Query.newBuilder().setGetConfig(GetConfigRequest.newBuilder().setKey(key)).build())
        .getGetConfig().getEntries(0).getValue();
  }

  @Override
  public Duration interval() {
    return interval;
  }
}
