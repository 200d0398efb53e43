package org.ringrift.cluster.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ringrift.cluster.client.ClusterClient;
import org.ringrift.cluster.proto.EnqueueBatchRequest;
import org.ringrift.cluster.proto.EnqueueRequest;
import org.ringrift.cluster.proto.WorkType;
import org.ringrift.cluster.raft.RaftSettings;
import org.ringrift.cluster.raft.RaftView;

/** A follower that was down while the leader snapshotted and purged its log catches up from the snapshot. */
class SnapshotInstallTest {
  private static final Duration CONVERGE = Duration.ofSeconds(60);

  @TempDir Path dir;

  @Test
  void followerBehindThePurgedLogInstallsTheSnapshotAndEndsIdentical() throws Exception {
    RaftSettings settings = RaftSettings.defaults().withSnapshotThresholdEntries(50).withSegmentSizeBytes(16 * 1024);
    try (LocalCluster cluster = new LocalCluster(dir, 3, settings, LocalCluster.quiet())) {
      ClusterClient client = cluster.client();
      await().atMost(CONVERGE).until(() -> cluster.readyLeader().isPresent());
      int follower = (cluster.readyLeader().orElseThrow() + 1) % 3;
      enqueueBatches(client, 5);
      await().atMost(CONVERGE).until(() -> allApplied(cluster));
      long appliedBeforeStop = cluster.node(follower).raft().view().appliedIndex();
      cluster.stop(follower);

      enqueueBatches(client, 300);
      int leader = cluster.readyLeader().orElseThrow();
      await().atMost(CONVERGE).until(() -> cluster.node(leader).raft().view().logStartIndex() > appliedBeforeStop + 1);

      cluster.start(follower);
      await().atMost(CONVERGE).until(() -> allApplied(cluster));
      RaftView caughtUp = cluster.node(follower).raft().view();
      // Its log now starts past everything it had applied: the gap can only have come from a snapshot.
      assertThat(caughtUp.logStartIndex()).isGreaterThan(appliedBeforeStop + 1);
      assertThat(caughtUp.snapshotIndex()).isGreaterThan(appliedBeforeStop);
      await().atMost(CONVERGE).until(() -> LocalCluster.digestsAgree(client, cluster.endpoints()));
      assertThat(client.queueStatsOf(cluster.endpoint(follower)).getPending()).isEqualTo(305 * 3);
    }
  }

  private static void enqueueBatches(ClusterClient client, int batches) {
    for (int b = 0; b < batches; b++) {
      EnqueueBatchRequest.Builder batch = EnqueueBatchRequest.newBuilder();
      for (int i = 0; i < 3; i++) {
        batch.addItems(EnqueueRequest.newBuilder().setType(WorkType.WORK_TYPE_SELFPLAY).setPriority(50).setForce(true));
      }
      client.enqueueBatch(batch.build());
    }
  }

  private static boolean allApplied(LocalCluster cluster) {
    List<Long> applied = new ArrayList<>();
    for (int i = 0; i < cluster.size(); i++) {
      applied.add(cluster.node(i).raft().view().appliedIndex());
    }
    return applied.stream().distinct().count() == 1;
  }
}
