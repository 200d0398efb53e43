package org.ringrift.cluster.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ringrift.cluster.client.ClusterClient;
import org.ringrift.cluster.contract.Endpoint;
import org.ringrift.cluster.proto.ClaimRequest;
import org.ringrift.cluster.proto.CompleteRequest;
import org.ringrift.cluster.proto.EnqueueRequest;
import org.ringrift.cluster.proto.NodeStatus;
import org.ringrift.cluster.proto.QueueStats;
import org.ringrift.cluster.proto.WorkItem;
import org.ringrift.cluster.proto.WorkType;

/** The walking skeleton as a user gets it: three bin/rrnode processes driven by bin/rrctl. */
class LaunchersIT {
  private static final Duration CONVERGE = Duration.ofSeconds(60);

  @TempDir Path dir;

  @Test
  void processClusterServesRrctlSurvivesKillNineAndCatchesUp() throws Exception {
    try (ProcessCluster cluster = new ProcessCluster(dir, 3);
         ClusterClient client = new ClusterClient(cluster.endpoints(), Duration.ofSeconds(10))) {
      String endpoints = cluster.endpointList();
      await().atMost(CONVERGE).ignoreExceptions().until(() -> !client.status().getLeaderId().isEmpty());

      await().atMost(CONVERGE).until(() -> RrctlProcess.run("--endpoint", endpoints, "doctor").exitCode() == 0);

      RrctlProcess.Result status = RrctlProcess.run("--endpoint", endpoints, "status", "--output", "json");
      assertThat(status.exitCode()).as(status.err()).isZero();
      JsonNode statusJson = status.json();
      for (String field : List.of("node_id", "leader_id", "is_leader", "role", "term", "alive_peers",
          "applied_index", "commit_index")) {
        assertThat(statusJson.has(field)).as(field).isTrue();
      }
      assertThat(statusJson.get("alive_peers").isNumber()).isTrue();

      JsonNode added = RrctlProcess.run("--endpoint", endpoints, "queue", "add", "--type", "selfplay",
          "--payload", "{\"board\":\"hex8\"}", "--priority", "50", "--output", "json").json();
      assertThat(added.get("created").asBoolean()).isTrue();
      String firstId = added.get("id").asText();

      List<String> ids = new ArrayList<>(List.of(firstId));
      for (int i = 1; i < 200; i++) {
        ids.add(client.enqueue(EnqueueRequest.newBuilder().setType(WorkType.WORK_TYPE_SELFPLAY).setPriority(50)
            .setPayload(ByteString.copyFromUtf8("{\"n\":" + i + "}")).build()).getItem().getId());
      }

      JsonNode claimed = RrctlProcess.run("--endpoint", endpoints, "--output", "json", "queue", "claim",
          "--worker", "w1").json();
      JsonNode item = claimed.get("items").get(0);
      assertThat(item.get("id").asText()).isEqualTo(firstId);
      RrctlProcess.Result stale = RrctlProcess.run("--endpoint", endpoints, "queue", "complete", firstId,
          "--token", item.get("token").asText() + "9");
      assertThat(stale.exitCode()).isEqualTo(5);
      assertThat(stale.err()).contains("token");
      RrctlProcess.Result done = RrctlProcess.run("--endpoint", endpoints, "queue", "complete", firstId,
          "--token", item.get("token").asText(), "--output", "json");
      assertThat(done.exitCode()).as(done.err()).isZero();
      assertThat(done.json().get("state").asText()).isEqualTo("completed");
      assertThat(RrctlProcess.run("--endpoint", endpoints, "queue", "get", "w-100000").exitCode()).isEqualTo(4);
      assertThat(RrctlProcess.run("--endpoint", endpoints, "queue", "add", "--type", "selfplay",
          "--priority", "101").exitCode()).as("bad input, found by the cluster").isEqualTo(2);
      assertThat(RrctlProcess.run("--endpoint", endpoints, "queue", "add", "--bogus").exitCode()).isEqualTo(2);

      completeEverything(client);
      QueueStats before = client.queueStats();
      assertThat(before.getCompleted()).isEqualTo(200);

      int leader = indexOf(cluster, client.status().getLeaderId());
      long oldTerm = client.statusOf(cluster.endpoint(leader)).getTerm();
      cluster.kill(leader);

      await().atMost(CONVERGE).ignoreExceptions().until(() -> {
        NodeStatus s = client.status();
        return !s.getLeaderId().isEmpty() && !s.getLeaderId().equals(cluster.id(leader)) && s.getTerm() > oldTerm;
      });
      assertThat(client.queueStats()).isEqualTo(before);
      client.enqueue(EnqueueRequest.newBuilder().setType(WorkType.WORK_TYPE_TRAINING).setPriority(100).build());

      RrctlProcess.Result voterDown = RrctlProcess.run("--endpoint", endpoints, "--timeout", "3s", "doctor",
          "--output", "json");
      assertThat(voterDown.exitCode()).isEqualTo(1);
      assertThat(voterDown.json().get("ok").asBoolean()).isFalse();
      assertThat(voterDown.out()).contains("unreachable: [" + cluster.endpoint(leader));

      cluster.start(leader);
      await().atMost(CONVERGE).ignoreExceptions().until(() -> {
        List<Long> applied = new ArrayList<>();
        for (Endpoint endpoint : cluster.endpoints()) {
          applied.add(client.statusOf(endpoint).getAppliedIndex());
        }
        return applied.stream().distinct().count() == 1;
      });
      for (int i = 0; i < 3; i++) {
        QueueStats stats = client.queueStatsOf(cluster.endpoint(i));
        assertThat(stats.getCompleted()).as(cluster.id(i)).isEqualTo(200);
        assertThat(stats.getPending()).as(cluster.id(i)).isEqualTo(1);
      }
      for (int i = 0; i < 3; i++) {
        JsonNode digest = RrctlProcess.run("--endpoint", cluster.endpoint(i).toString(), "state", "digest",
            "--output", "json").json();
        assertThat(digest.get("node_id").asText()).isEqualTo(cluster.id(i));
        assertThat(digest.get("digest").asText()).hasSize(64);
        assertThat(digest.get("applied_index").asLong()).isPositive();
      }
      // Heartbeats keep writing: equal digests are a claim about one applied index.
      await().atMost(CONVERGE).until(() -> {
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Endpoint endpoint : cluster.endpoints()) {
          org.ringrift.cluster.proto.DigestResult digest = client.digestOf(endpoint);
          seen.add(digest.getAppliedIndex() + ":" + digest.getDigest());
        }
        return seen.size() == 1;
      });

      client.setDaemonDesired("job_reaper", false);
      await().atMost(CONVERGE).until(() -> {
        RrctlProcess.Result stopped = RrctlProcess.run("--endpoint", endpoints, "doctor");
        return stopped.exitCode() == 1 && stopped.out().contains("leader daemon job_reaper is STOPPED");
      });

      for (int i = 0; i < 3; i++) {
        assertThat(cluster.terminate(i)).as("exit code after SIGTERM of " + cluster.id(i)).isIn(0, 143);
      }
      RrctlProcess.Result down = RrctlProcess.run("--endpoint", endpoints, "--timeout", "2s", "status");
      assertThat(down.exitCode()).isEqualTo(3);
      assertThat(down.err()).startsWith("rrctl: cluster unavailable");
    }
  }

  private static void completeEverything(ClusterClient client) {
    List<WorkItem> batch;
    while (!(batch = client.claim(ClaimRequest.newBuilder().setWorkerId("w2").setMaxItems(10).build())
        .getItemsList()).isEmpty()) {
      for (WorkItem item : batch) {
        client.complete(CompleteRequest.newBuilder().setItemId(item.getId()).setToken(item.getLease()).build());
      }
    }
  }

  private static int indexOf(ProcessCluster cluster, String nodeId) {
    for (int i = 0; i < 3; i++) {
      if (cluster.id(i).equals(nodeId)) {
        return i;
      }
    }
    throw new AssertionError("no node " + nodeId);
  }

}
