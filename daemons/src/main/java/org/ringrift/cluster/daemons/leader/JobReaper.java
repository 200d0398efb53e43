package org.ringrift.cluster.daemons.leader;

import java.time.Clock;
import java.time.Duration;
import org.ringrift.cluster.daemons.Daemon;
import org.ringrift.cluster.daemons.DaemonContext;
import org.ringrift.cluster.daemons.Proposals;
import org.ringrift.cluster.proto.Command;
import org.ringrift.cluster.proto.CommandResult;
import org.ringrift.cluster.proto.ExpireLeasesRequest;
import org.ringrift.cluster.proto.Query;
import org.ringrift.cluster.proto.QueueStats;
import org.ringrift.cluster.proto.QueueStatsRequest;
import org.ringrift.cluster.proto.WorkState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Expires leases that ran out (by the state clock): the items go back to pending on another node,
 * or to the dead letter queue. A new leader waits a grace period first, because workers could not
 * extend their leases while there was no leader.
 */
public final class JobReaper implements Daemon {
  private static final Logger LOG = LoggerFactory.getLogger(JobReaper.class);
  private static final int BATCH = 100;

  private final Proposals proposals;
  private final Duration interval;
  private final Duration failoverGrace;

  private final Clock clock;

  public JobReaper(Proposals proposals, Clock clock, Duration interval, Duration failoverGrace) {
    this.proposals = proposals;
    this.clock = clock;
    this.interval = interval;
    this.failoverGrace = failoverGrace;
  }

  @Override
  public void tick(DaemonContext context) throws Exception {
    if (context.leaderFor().compareTo(failoverGrace) < 0) {
      return;
    }
    // Read first: an idle cluster should not write a log entry every tick.
    QueueStats stats = proposals.read(Query.newBuilder().setQueueStats(QueueStatsRequest.getDefaultInstance()).build())
        .getQueueStats();
    if (stats.getOldestLeaseExpiresMs() == 0 || stats.getOldestLeaseExpiresMs() > clock.millis()) {
      return;
    }
    CommandResult result = proposals.propose(context, Command.newBuilder()
        .setExpireLeases(ExpireLeasesRequest.newBuilder().setMaxItems(BATCH)));
    if (result.hasRejected()) {
      LOG.info("reaper command rejected term={} reason={}", context.leaderTerm(), result.getRejected().getMessage());
      return;
    }
    result.getItems().getItemsList().forEach(item -> LOG.info("lease expired item={} node={} next_state={} term={}",
        item.getId(), item.getClaimedNode(), item.getState() == WorkState.WORK_STATE_PENDING ? "pending" : "timeout",
        context.leaderTerm()));
  }

  @Override
  public Duration interval() {
    return interval;
  }
}
