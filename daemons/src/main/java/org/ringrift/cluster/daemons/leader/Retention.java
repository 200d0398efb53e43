package org.ringrift.cluster.daemons.leader;

import java.time.Clock;
import java.time.Duration;
import org.ringrift.cluster.daemons.Daemon;
import org.ringrift.cluster.daemons.DaemonContext;
import org.ringrift.cluster.daemons.Proposals;
import org.ringrift.cluster.proto.Command;
import org.ringrift.cluster.proto.CommandResult;
import org.ringrift.cluster.proto.GetConfigRequest;
import org.ringrift.cluster.proto.PruneRequest;
import org.ringrift.cluster.proto.Query;
import org.ringrift.cluster.proto.QueueStats;
import org.ringrift.cluster.proto.QueueStatsRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Prunes terminal items past retention and expired idempotency keys, a bounded batch per tick. */
public final class Retention implements Daemon {
  private static final Logger LOG = LoggerFactory.getLogger(Retention.class);
  private static final int BATCH = 500;

  private final Proposals proposals;
  private final Duration interval;

  private static final Duration KEY_SWEEP_INTERVAL = Duration.ofHours(1);

  private final Clock clock;
  private long lastFullPruneMs;

  public Retention(Proposals proposals, Clock clock, Duration interval) {
    this.proposals = proposals;
    this.clock = clock;
    this.lastFullPruneMs = clock.millis();
    this.interval = interval;
  }

  @Override
  public void tick(DaemonContext context) throws Exception {
    // Read first: prune only when the oldest terminal item is past retention (expired idempotency
    // keys ride along then, and at least once a day).
    QueueStats stats = proposals.read(Query.newBuilder().setQueueStats(QueueStatsRequest.getDefaultInstance()).build())
        .getQueueStats();
    long retentionMs = Long.parseLong(proposals.read(Query.newBuilder().setGetConfig(GetConfigRequest.newBuilder()
        .setKey("queue.terminal_retention_ms")).build()).getGetConfig().getEntries(0).getValue());
    boolean itemsDue = stats.getOldestTerminalFinishedMs() != 0
        && stats.getOldestTerminalFinishedMs() < clock.millis() - retentionMs;
    boolean keysDue = clock.millis() - lastFullPruneMs >= KEY_SWEEP_INTERVAL.toMillis();
    if (!itemsDue && !keysDue) {
      return;
    }
    lastFullPruneMs = clock.millis();
    CommandResult result = proposals.propose(context, Command.newBuilder()
        .setPrune(PruneRequest.newBuilder().setMaxItems(BATCH)));
    if (result.hasPrune() && result.getPrune().getItemsPruned() + result.getPrune().getIdempotencyKeysPruned() > 0) {
      LOG.info("retention pruned items={} idempotency_keys={} term={}", result.getPrune().getItemsPruned(),
          result.getPrune().getIdempotencyKeysPruned(), context.leaderTerm());
    }
  }

  @Override
  public Duration interval() {
    return interval;
  }
}
