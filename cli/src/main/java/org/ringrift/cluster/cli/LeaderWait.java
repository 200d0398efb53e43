package org.ringrift.cluster.cli;

import java.time.Clock;
import java.time.Duration;
import java.util.function.LongConsumer;
import org.ringrift.cluster.client.ClusterClient;
import org.ringrift.cluster.client.ClusterException;
import org.ringrift.cluster.contract.Endpoint;
import org.ringrift.cluster.contract.errors.ErrorKind;
import org.ringrift.cluster.proto.NodeStatus;

/** Polls every endpoint until one of them is a ready leader, within a bound. */
final class LeaderWait {
  /** Often enough to notice a new leader within a fraction of an election; rare enough to cost nothing. */
  static final Duration POLL_INTERVAL = Duration.ofMillis(200);

  record Ready(String leaderId, long term, long waitedMs) {}

  private final ClusterClient client;
  private final Clock clock;
  private final Duration maxWait;

  LeaderWait(ClusterClient client, Clock clock, Duration maxWait) {
    this.client = client;
    this.clock = clock;
    this.maxWait = maxWait;
  }

  /**
   * A ready leader whose term is the highest any answering node knows. A deposed leader can still
   * call itself leader for a moment after a transfer or partition; its term gives it away.
   */
  private Ready settledLeader(long start) {
    NodeStatus leader = null;
    long maxTerm = -1;
    for (Endpoint endpoint : client.endpoints()) {
      try {
        NodeStatus status = client.statusOf(endpoint);
        maxTerm = Math.max(maxTerm, status.getTerm());
        if (status.getIsLeader() && status.getLeaderReady() && (leader == null || status.getTerm() > leader.getTerm())) {
          leader = status;
        }
      } catch (ClusterException unreachable) {
        // the next endpoint may answer
      }
    }
    if (leader == null || leader.getTerm() < maxTerm) {
      return null;
    }
    return new Ready(leader.getNodeId(), leader.getTerm(), clock.millis() - start);
  }

  Ready await(LongConsumer waiting) {
    long start = clock.millis();
    while (true) {
      Ready ready = settledLeader(start);
      if (ready != null) {
        return ready;
      }
      long waited = clock.millis() - start;
      if (waited >= maxWait.toMillis()) {
        throw new ClusterException(ErrorKind.UNAVAILABLE, "cluster unavailable: no ready leader within "
            + maxWait.toMillis() + " ms");
      }
      waiting.accept(waited);
      try {
        Thread.sleep(POLL_INTERVAL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ClusterException(ErrorKind.UNAVAILABLE, "interrupted while waiting for a leader");
      }
    }
  }
}
