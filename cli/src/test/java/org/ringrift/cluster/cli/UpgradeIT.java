package org.ringrift.cluster.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.ringrift.cluster.client.ClusterClient;
import org.ringrift.cluster.proto.DigestResult;
import org.ringrift.cluster.proto.EnqueueRequest;
import org.ringrift.cluster.proto.WorkType;
import org.ringrift.cluster.statemachine.features.FeatureLevels;

/**
 * A rolling upgrade of three real rrnode processes under steady writes, and a node too old for the
 * cluster's feature level. The "previous build" is this build started with the hidden
 * {@code --test-max-feature-level 1}: it applies and reports feature level 1 only, as a build from
 * before feature level 2 would (a compatibility fixture; building the previous commit here would
 * cost minutes). Order matters: the second test starts from the cluster the first one upgraded.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UpgradeIT {
  private static final Duration CONVERGE = Duration.ofSeconds(60);
  private static final List<String> OLD = List.of("--heartbeat-ms", "1000", "--test-max-feature-level", "1");
  private static final String[] NEW = {"--heartbeat-ms", "1000"};
  /** What a node of this build reports it supports; the upgrade goes to level 2 of it. */
  private static final String NEW_LEVELS = FeatureLevels.BUILD.toString();

  @TempDir static Path dir;
  private static ProcessCluster cluster;
  private static InProcessRrctl rrctl;
  private static ClusterClient client;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void startOldCluster() throws Exception {
    cluster = new ProcessCluster(dir, 3, 3, OLD);
    rrctl = new InProcessRrctl(List.of("--endpoint", cluster.endpointList(), "--output", "json", "--timeout", "10s"));
    client = new ClusterClient(cluster.endpoints(), Duration.ofSeconds(10));
    await().atMost(CONVERGE).ignoreExceptions().until(() -> rrctl.run("leader", "wait", "--max-wait", "1s").exitCode() == 0);
  }

  @AfterAll
  static void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  /** Enqueues one item after another until stopped; keeps the ids of the acknowledged ones. */
  private static final class SteadyWriter implements AutoCloseable {
    final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    final AtomicInteger failed = new AtomicInteger();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Thread thread;

    SteadyWriter() {
      thread = new Thread(() -> {
        for (int seq = 0; !stop.get(); seq++) {
          try {
            acknowledged.add(client.enqueue(EnqueueRequest.newBuilder().setType(WorkType.WORK_TYPE_TOURNAMENT)
                .setPriority(10).setIdempotencyKey("upgrade-" + seq).build()).getItem().getId());
          } catch (RuntimeException e) {
            // Unacknowledged (a ClusterException while a node restarts): not counted as written.
            failed.incrementAndGet();
          }
          try {
            Thread.sleep(20); // a steady rate, not a flood: two cores run three nodes and this test
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "steady-writer");
      thread.start();
    }

    @Override
    public void close() throws InterruptedException {
      stop.set(true);
      thread.join(30_000);
    }
  }

  private static JsonNode featureLevel() {
    InProcessRrctl.Result result = rrctl.run("cluster", "feature-level");
    assertThat(result.exitCode()).as(result.err()).isZero();
    return result.json();
  }

  private static String levelsOf(JsonNode featureLevel, String nodeId) {
    for (JsonNode member : featureLevel.get("members")) {
      if (member.get("node_id").asText().equals(nodeId)) {
        return member.get("feature_levels").asText();
      }
    }
    throw new AssertionError("no member " + nodeId + " in " + featureLevel);
  }

  private static JsonNode doctorCheck(String name) {
    for (JsonNode check : rrctl.run("doctor").json().get("checks")) {
      if (check.get("check").asText().equals(name)) {
        return check;
      }
    }
    throw new AssertionError("doctor has no check " + name);
  }

  private static HttpResponse<String> ready(int i) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cluster.httpPort(i) + "/health/ready"))
        .GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Equal digests on every node at one applied index (heartbeats keep writing, so wait for one). */
  private static void digestsAgree() {
    List<String> problems = new ArrayList<>();
    await().atMost(CONVERGE).pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(() -> {
      List<DigestResult> digests = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        digests.add(client.digestOf(cluster.endpoint(i)));
      }
      if (digests.stream().map(DigestResult::getAppliedIndex).distinct().count() != 1) {
        return false;
      }
      if (digests.stream().map(DigestResult::getDigest).distinct().count() != 1) {
        problems.add("digests differ at index " + digests.get(0).getAppliedIndex() + ": " + digests);
      }
      return true;
    });
    assertThat(problems).isEmpty();
  }

  @Test
  @Order(1)
  void rollingUpgradeUnderWritesThenRaiseTheLevelThenUseIt() throws Exception {
    await().atMost(CONVERGE).ignoreExceptions().until(() -> {
      JsonNode levels = featureLevel();
      return List.of("n1", "n2", "n3").stream().allMatch(n -> "1-1".equals(levelsOf(levels, n)));
    });
    assertThat(featureLevel().get("feature_level").asInt()).isEqualTo(1);
    JsonNode status = rrctl.run("status").json();
    assertThat(status.get("binary_version").asText()).isNotBlank();
    assertThat(status.get("feature_levels").asText()).isEqualTo("1-1");

    try (SteadyWriter writer = new SteadyWriter()) {
      await().atMost(CONVERGE).ignoreExceptions().until(() -> writer.acknowledged.size() >= 20);
      String item = writer.acknowledged.iterator().next();
      InProcessRrctl.Result refused = rrctl.run("queue", "annotate", item, "--note", "too early");
      assertThat(refused.exitCode()).as(refused.err()).isEqualTo(5);
      assertThat(refused.err()).contains("annotate needs feature level 2").contains("cluster is at feature level 1");

      for (int i = 0; i < 3; i++) {
        String id = cluster.id(i);
        assertThat(cluster.terminate(i)).as("exit code of " + id).isIn(0, 143);
        cluster.start(i, NEW);
        await().atMost(CONVERGE).ignoreExceptions().until(() -> NEW_LEVELS.equals(levelsOf(featureLevel(), id)));
        int node = i;
        await().atMost(CONVERGE).ignoreExceptions().until(() -> ready(node).statusCode() == 200);
        if (i < 2) {
          // Mixed: the level cannot rise, and the new command stays refused with a reason.
          InProcessRrctl.Result early = rrctl.run("cluster", "upgrade", "--to", "2");
          assertThat(early.exitCode()).as(early.err()).isEqualTo(5);
          assertThat(early.err()).contains("cannot set the feature level to 2").contains("supports 1-1")
              .contains(cluster.id(2)).doesNotContain(id + " (");
          assertThat(rrctl.run("queue", "annotate", item, "--note", "mixed").exitCode()).isEqualTo(5);
          assertThat(doctorCheck("versions").get("status").asText()).isEqualTo("WARN");
        }
      }
      JsonNode all = rrctl.run("status", "--all").json();
      assertThat(all.isArray() && all.size() == 3).as(all.toString()).isTrue();
      for (JsonNode row : all) { // one object per node, each with node_id
        assertThat(row.get("levels").asText()).as(row.toString()).isEqualTo(NEW_LEVELS);
        assertThat(row.get("apply_halted").asBoolean()).isFalse();
      }

      InProcessRrctl.Result raised = rrctl.run("cluster", "upgrade", "--to", "2");
      assertThat(raised.exitCode()).as(raised.err()).isZero();
      assertThat(raised.json().get("feature_level").asInt()).isEqualTo(2);
      InProcessRrctl.Result annotated = rrctl.run("queue", "annotate", item, "--note", "after the upgrade");
      assertThat(annotated.exitCode()).as(annotated.err()).isZero();
      assertThat(annotated.json().get("note").asText()).isEqualTo("after the upgrade");
      assertThat(rrctl.run("queue", "get", item).json().get("note").asText()).isEqualTo("after the upgrade");
      // A command of the next level stays refused at level 2, naming the level it needs.
      InProcessRrctl.Result tooEarly = rrctl.run("queue", "priority", item, "90");
      assertThat(tooEarly.exitCode()).as(tooEarly.err()).isEqualTo(5);
      assertThat(tooEarly.err()).contains("priority needs feature level 3").contains("cluster is at feature level 2");

      InProcessRrctl.Result lowered = rrctl.run("cluster", "upgrade", "--to", "1");
      assertThat(lowered.exitCode()).as(lowered.err()).isEqualTo(5);
      assertThat(lowered.err()).contains("a command of level 2 was applied");

      int before = writer.acknowledged.size();
      await().atMost(CONVERGE).ignoreExceptions().until(() -> writer.acknowledged.size() >= before + 20);
      writer.close();
      // No acknowledged write lost across four leader-affecting restarts.
      for (String id : writer.acknowledged) {
        assertThat(client.getItem(id).getId()).isEqualTo(id);
      }
      System.out.printf("upgrade under writes: %d acknowledged, %d failed (unacknowledged)%n",
          writer.acknowledged.size(), writer.failed.get());
    }
    digestsAgree();
  }

  @Test
  @Order(2)
  void aNodeTooOldForTheLevelStopsApplyingSaysWhyAndTheClusterStaysHealthy() throws Exception {
    int old = 2;
    Path log = cluster.dataDir(old).resolve("node.log");
    assertThat(cluster.terminate(old)).isIn(0, 143);
    long logBefore = Files.size(log);
    cluster.start(old, OLD.toArray(String[]::new));

    await().atMost(CONVERGE).ignoreExceptions().until(() -> Files.readString(log).substring((int) logBefore).contains("FATAL apply halted"));
    String fatal = Files.readString(log).substring((int) logBefore).lines()
        .filter(l -> l.contains("FATAL apply halted")).toList().toString();
    assertThat(fatal).contains("feature level 2").contains("supports 1-1");
    assertThat(Files.readString(log).substring((int) logBefore).lines()
        .filter(l -> l.contains("FATAL")).count()).isEqualTo(1);
    await().atMost(CONVERGE).ignoreExceptions().until(() -> ready(old).statusCode() == 503 && ready(old).body().contains("apply halted"));
    JsonNode status = new InProcessRrctl(List.of("--endpoint", cluster.endpoint(old).toString(), "--output", "json",
        "--timeout", "10s")).run("status").json();
    assertThat(status.get("apply_halted").asText()).contains("feature level 2");
    assertThat(status.findValues("name").stream().map(JsonNode::asText)).contains("apply_halted");

    assertThat(doctorCheck("versions").get("detail").asText()).contains(cluster.id(old)).contains("feature level 2");
    // The others keep their quorum and take writes.
    try (ClusterClient two = new ClusterClient(List.of(cluster.endpoint(0), cluster.endpoint(1)), Duration.ofSeconds(10))) {
      String id = two.enqueue(EnqueueRequest.newBuilder().setType(WorkType.WORK_TYPE_TOURNAMENT).build())
          .getItem().getId();
      assertThat(two.annotateItem(id, "while n3 is halted").getNote()).isEqualTo("while n3 is halted");
      for (int i = 0; i < 2; i++) {
        int node = i;
        await().atMost(CONVERGE).ignoreExceptions().until(() -> ready(node).statusCode() == 200);
      }
    }

    // Back on a binary that supports the level, it applies what it held back: nothing was skipped.
    assertThat(cluster.terminate(old)).isIn(0, 143);
    cluster.start(old, NEW);
    await().atMost(CONVERGE).ignoreExceptions().until(() -> ready(old).statusCode() == 200);
    digestsAgree();
  }
}
