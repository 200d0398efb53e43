package org.ringrift.cluster.daemons.leader;

import java.time.Duration;
import org.ringrift.cluster.daemons.Daemon;
import org.ringrift.cluster.daemons.DaemonContext;
import org.ringrift.cluster.daemons.Proposals;
import org.ringrift.cluster.proto.Command;
import org.ringrift.cluster.proto.CommandResult;
import org.ringrift.cluster.proto.PruneRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Prunes terminal items past retention and expired idempotency keys, a bounded batch per tick. */
public final class Retention implements Daemon {
  private static final Logger LOG = LoggerFactory.getLogger(Retention.class);
  private static final int BATCH = 500;

  private final Proposals proposals;
  private final Duration interval;

  public Retention(Proposals proposals, Duration interval) {
    this.proposals = proposals;
    this.interval = interval;
  }

  @Override
  public void tick(DaemonContext context) throws Exception {
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
