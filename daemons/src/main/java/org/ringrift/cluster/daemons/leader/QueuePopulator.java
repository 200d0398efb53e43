package org.ringrift.cluster.daemons.leader;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.util.List;
import org.ringrift.cluster.daemons.Daemon;
import org.ringrift.cluster.daemons.DaemonContext;
import org.ringrift.cluster.daemons.Proposals;
import org.ringrift.cluster.proto.Command;
import org.ringrift.cluster.proto.CommandResult;
import org.ringrift.cluster.proto.EnqueueBatchRequest;
import org.ringrift.cluster.proto.EnqueueRequest;
import org.ringrift.cluster.proto.GetConfigRequest;
import org.ringrift.cluster.proto.ListNodesRequest;
import org.ringrift.cluster.proto.NodeHealth;
import org.ringrift.cluster.proto.NodeRecord;
import org.ringrift.cluster.proto.Query;
import org.ringrift.cluster.proto.QueueStats;
import org.ringrift.cluster.proto.QueueStatsRequest;
import org.ringrift.cluster.proto.WorkType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the queue fed with selfplay work across the twelve board configurations, up to the
 * replicated target depth scaled by the cluster health factor (the share of worker nodes alive,
 * at least 0.2), at most populator.max_per_cycle items per tick, and never past the pending soft
 * limit: backpressure is the state machine's, the populator only stays below it.
 */
public final class QueuePopulator implements Daemon {
  private static final Logger LOG = LoggerFactory.getLogger(QueuePopulator.class);
  private static final List<String> BOARDS = List.of("square8", "square19", "hex8", "hexagonal");
  private static final int SELFPLAY_PRIORITY = 75;
  private static final int MAX_BATCH = 100;

  private final Proposals proposals;
  private final Duration interval;
  private long rotation;

  public QueuePopulator(Proposals proposals, Duration interval) {
    this.proposals = proposals;
    this.interval = interval;
  }

  @Override
  public void tick(DaemonContext context) throws Exception {
    long target = config("populator.target_depth");
    long perCycle = Math.min(MAX_BATCH, config("populator.max_per_cycle"));
    long soft = config("queue.pending_soft_limit");
    QueueStats stats = proposals.read(Query.newBuilder().setQueueStats(QueueStatsRequest.getDefaultInstance()).build())
        .getQueueStats();
    long wanted = Math.min(soft - 1, Math.round(target * healthFactor())) - stats.getPending();
    int count = (int) Math.max(0, Math.min(perCycle, wanted));
    if (count == 0) {
      return;
    }
    EnqueueBatchRequest.Builder batch = EnqueueBatchRequest.newBuilder();
    for (int i = 0; i < count; i++) {
      long n = rotation++;
      String board = BOARDS.get((int) (n % BOARDS.size()));
      int players = 2 + (int) ((n / BOARDS.size()) % 3);
      batch.addItems(EnqueueRequest.newBuilder().setType(WorkType.WORK_TYPE_SELFPLAY).setPriority(SELFPLAY_PRIORITY)
          .setGroupKey("")
          .setPayload(ByteString.copyFromUtf8("{\"board\":\"" + board + "\",\"players\":" + players + ",\"games\":100}")));
    }
    CommandResult result = proposals.propose(context, Command.newBuilder().setEnqueueBatch(batch));
    if (result.hasRejected()) {
      LOG.info("populator batch rejected term={} reason={}", context.leaderTerm(), result.getRejected().getMessage());
    } else {
      LOG.info("populator enqueued items={} pending_before={} term={}", count, stats.getPending(), context.leaderTerm());
    }
  }

  /** Share of worker nodes alive, at least 0.2; 1.0 while no worker has reported. */
  private double healthFactor() throws Exception {
    List<NodeRecord> workers = proposals.read(Query.newBuilder().setListNodes(ListNodesRequest.getDefaultInstance())
        .build()).getListNodes().getNodesList().stream().filter(n -> n.getRolesList().contains("worker")).toList();
    if (workers.isEmpty()) {
      return 1.0;
    }
    long alive = workers.stream().filter(n -> n.getHealth() == NodeHealth.NODE_HEALTH_ALIVE).count();
    return Math.max(0.2, (double) alive / workers.size());
  }

  private long config(String key) throws Exception {
    return Long.parseLong(proposals.read(Query.newBuilder().setGetConfig(GetConfigRequest.newBuilder().setKey(key))
        .build()).getGetConfig().getEntries(0).getValue());
  }

  @Override
  public Duration interval() {
    return interval;
  }
}
