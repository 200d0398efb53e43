package org.ringrift.cluster.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ringrift.cluster.proto.NodeStatus;

/** The per-link fabric really carries, and really cuts, the Raft traffic. */
class LinkProxiesIT {
  @TempDir
  Path dir;

  @Test
  void raftTrafficGoesThroughTheLinksAndAnIsolatedLeaderIsReplaced() throws Exception {
    try (ChaosCluster cluster = new ChaosCluster(dir, ChaosCluster.Options.of(3))) {
      int leader = await().atMost(Duration.ofSeconds(60)).until(cluster::leader, Optional::isPresent).get();
      assertThat(cluster.links().bytesForwarded()).isPositive();
      long oldTerm = cluster.statusOf(leader).orElseThrow().getTerm();

      cluster.links().partition(Set.of(leader));
      int next = await().atMost(Duration.ofSeconds(30)).until(() -> {
        for (int i = 0; i < cluster.size(); i++) {
          Optional<NodeStatus> s = cluster.statusOf(i);
          if (i != leader && s.isPresent() && s.get().getIsLeader() && s.get().getTerm() > oldTerm) {
            return i;
          }
        }
        return -1;
      }, i -> i >= 0);
      assertThat(next).isNotEqualTo(leader);

      cluster.links().healAll();
      await().atMost(Duration.ofSeconds(30)).until(() -> cluster.statusOf(leader)
          .map(s -> !s.getIsLeader() && s.getTerm() > oldTerm).orElse(false));
    }
  }
}
