package org.ringrift.cluster.cli;

import java.time.Clock;
import java.time.Duration;
import java.util.function.LongConsumer;
import org.ringrift.cluster.client.ClusterClient;
import org.ringrift.cluster.client.ClusterException;
import org.ringrift.cluster.client.Endpoint;
import org.ringrift.cluster.client.ErrorKind;
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

  Ready await(LongConsumer waiting) {
    long start = clock.millis();
    while (true) {
      for (Endpoint endpoint : client.endpoints()) {
        try {
          NodeStatus status = client.statusOf(endpoint);
          if (status.getIsLeader() && status.getLeaderReady()) {
            return new Ready(status.getNodeId(), status.getTerm(), clock.millis() - start);
          }
        } catch (ClusterException unreachable) {
          // the next endpoint may answer
        }
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
