package org.ringrift.cluster.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ringrift.cluster.client.ClusterClient;
import org.ringrift.cluster.client.ClusterException;
import org.ringrift.cluster.contract.errors.ErrorKind;
import org.ringrift.cluster.proto.ClaimRequest;
import org.ringrift.cluster.proto.CompleteRequest;
import org.ringrift.cluster.proto.EnqueueRequest;
import org.ringrift.cluster.proto.LeaseToken;
import org.ringrift.cluster.proto.NodeStatus;
import org.ringrift.cluster.proto.QueueStats;
import org.ringrift.cluster.proto.WorkItem;
import org.ringrift.cluster.proto.WorkState;
import org.ringrift.cluster.proto.WorkType;
import org.ringrift.cluster.raft.RaftSettings;

class ThreeNodeClusterTest {
  private static final Duration CONVERGE = Duration.ofSeconds(30);

  @TempDir Path dir;

  @Test
  void queueSurvivesLeaderLossAndTheOldLeaderCatchesUp() throws Exception {
    try (LocalCluster cluster = new LocalCluster(dir, 3, RaftSettings.defaults(), LocalCluster.quiet())) {
      ClusterClient client = cluster.client();

      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        ids.add(client.enqueue(EnqueueRequest.newBuilder().setType(WorkType.WORK_TYPE_SELFPLAY)
            .setPriority(i % 101).setPayload(ByteString.copyFromUtf8("{\"game\":" + i + "}")).build())
            .getItem().getId());
      }
      assertThat(ids).doesNotHaveDuplicates().hasSize(200);

      int completed = 0;
      List<WorkItem> batch;
      while (!(batch = client.claim(ClaimRequest.newBuilder().setWorkerId("w1").setMaxItems(10).build())
          .getItemsList()).isEmpty()) {
        for (WorkItem item : batch) {
          client.complete(CompleteRequest.newBuilder().setItemId(item.getId()).setToken(item.getLease()).build());
          completed++;
        }
      }
      assertThat(completed).isEqualTo(200);
      QueueStats before = client.queueStats();
      assertThat(before.getCompleted()).isEqualTo(200);
      assertThat(before.getPending()).isZero();

      await().atMost(CONVERGE).until(() -> cluster.readyLeader().isPresent());
      int oldLeader = cluster.readyLeader().orElseThrow();
      long oldTerm = cluster.node(oldLeader).raft().view().term();
      cluster.stop(oldLeader);

      await().atMost(CONVERGE).until(() -> cluster.readyLeader().isPresent());
      int newLeader = cluster.readyLeader().orElseThrow();
      assertThat(newLeader).isNotEqualTo(oldLeader);
      assertThat(cluster.node(newLeader).raft().view().term()).isGreaterThan(oldTerm);
      assertThat(client.queueStatsOf(cluster.endpoint(newLeader))).isEqualTo(before);
      client.enqueue(EnqueueRequest.newBuilder().setType(WorkType.WORK_TYPE_TRAINING).setPriority(100).build());

      cluster.start(oldLeader);
      await().atMost(CONVERGE).until(() -> appliedIndexes(cluster).stream().distinct().count() == 1);
      List<QueueStats> stats = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        stats.add(client.queueStatsOf(cluster.endpoint(i)));
      }
      assertThat(stats).allSatisfy(s -> {
        assertThat(s.getCompleted()).isEqualTo(200);
        assertThat(s.getPending()).isEqualTo(1);
      });
      await().atMost(CONVERGE).until(() -> LocalCluster.digestsAgree(client, cluster.endpoints()));
    }
  }

  @Test
  void staleTokensUnknownItemsAndBadInputAreRejectedWithTheirKind() throws Exception {
    try (LocalCluster cluster = new LocalCluster(dir, 3, RaftSettings.defaults(), LocalCluster.quiet())) {
      ClusterClient client = cluster.client();
      WorkItem item = client.enqueue(EnqueueRequest.newBuilder().setType(WorkType.WORK_TYPE_SELFPLAY)
          .setPriority(50).build()).getItem();
      WorkItem claimed = client.claim(ClaimRequest.newBuilder().setWorkerId("w1").build()).getItems(0);
      LeaseToken stale = claimed.getLease().toBuilder().setSequence(claimed.getLease().getSequence() + 1).build();

      assertKind(() -> client.complete(CompleteRequest.newBuilder().setItemId(item.getId()).setToken(stale).build()),
          ErrorKind.STALE_TOKEN, "token");
      assertKind(() -> client.getItem("w-999"), ErrorKind.NOT_FOUND, "w-999");
      assertKind(() -> client.enqueue(EnqueueRequest.newBuilder().setType(WorkType.WORK_TYPE_SELFPLAY)
          .setPriority(101).build()), ErrorKind.INVALID_ARGUMENT, "priority");
      assertThat(client.getItem(item.getId()).getState()).isEqualTo(WorkState.WORK_STATE_CLAIMED);
      assertThat(client.queueStats().getStaleTokenRejections()).isEqualTo(1);
    }
  }

  @Test
  void httpStatusAndHealthReportTheLeader() throws Exception {
    try (LocalCluster cluster = new LocalCluster(dir, 3, RaftSettings.defaults(), LocalCluster.quiet())) {
      ClusterClient client = cluster.client();
      await().atMost(CONVERGE).until(() -> cluster.readyLeader().isPresent());
      NodeStatus status = client.statusOf(cluster.endpoint(0));
      HttpClient http = HttpClient.newHttpClient();

      await().atMost(CONVERGE).until(() -> get(http, cluster.httpPort(0), "/health/ready").statusCode() == 200);
      HttpResponse<String> page = get(http, cluster.httpPort(0), "/status");

      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body()).contains("\"node_id\":\"n1\"", "\"leader_id\":\"" + status.getLeaderId() + "\"",
          "\"alive_peers\":", "\"applied_index\":", "\"commit_index\":");
      assertThat(page.body()).contains("\"alerts\":[{\"name\":\"daemon_restarts_high\"");
      assertThat(get(http, cluster.httpPort(0), "/health/live").statusCode()).isEqualTo(200);
      await().atMost(CONVERGE).until(() -> get(http, cluster.httpPort(0), "/metrics").body()
          .contains("ringrift_queue_items{state=\"pending\"}"));
      assertThat(get(http, cluster.httpPort(0), "/metrics").body()).contains("ringrift_raft_term ",
          "ringrift_daemon_running{daemon=\"job_reaper\"}", "ringrift_alert_firing{alert=\"queue_empty\"}",
          "jvm_memory_used_bytes", "ringrift_queue_leases_expired_total ", "ringrift_raft_apply_window_max_seconds ");
      // Heartbeats are proposed by this node and applied here: both latency summaries count them.
      await().atMost(CONVERGE).until(() -> metric(get(http, cluster.httpPort(0), "/metrics").body(),
          "ringrift_raft_apply_seconds_count") > 0
          && metric(get(http, cluster.httpPort(0), "/metrics").body(), "ringrift_raft_commit_seconds_count") > 0);
      assertThat(get(http, cluster.httpPort(0), "/nope").statusCode()).isEqualTo(404);
    }
  }

  private static double metric(String scrape, String name) {
    return scrape.lines().filter(line -> line.startsWith(name + " ")).findFirst()
        .map(line -> Double.parseDouble(line.substring(name.length() + 1).trim())).orElse(-1.0);
  }

  private static HttpResponse<String> get(HttpClient http, int port, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static List<Long> appliedIndexes(LocalCluster cluster) {
    List<Long> indexes = new ArrayList<>();
    for (int i = 0; i < cluster.size(); i++) {
      indexes.add(cluster.node(i).raft().view().appliedIndex());
    }
    return indexes;
  }

  private static void assertKind(Runnable call, ErrorKind kind, String messagePart) {
    try {
      call.run();
      throw new AssertionError("expected " + kind);
    } catch (ClusterException e) {
      assertThat(e.kind()).isEqualTo(kind);
      assertThat(e.getMessage()).contains(messagePart);
    }
  }
}
