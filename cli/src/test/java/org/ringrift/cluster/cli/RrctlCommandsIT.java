package org.ringrift.cluster.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.ringrift.cluster.proto.AdminServiceGrpc;
import org.ringrift.cluster.proto.CloseSessionRequest;
import org.ringrift.cluster.proto.EnqueueRequest;
import org.ringrift.cluster.proto.OpenSessionRequest;
import org.ringrift.cluster.proto.WorkType;
import org.ringrift.cluster.raft.TestPorts;

/**
 * Every rrctl command, in json mode, against one shared cluster of three real rrnode processes
 * (plus a spare started with --join for members add/remove): output shape and exit code, including
 * the error paths. rrctl itself runs in this JVM, so the class costs one cluster start, not a JVM
 * per call; bin/rrctl as a process is covered by LaunchersIT and RunbookIT. The last test fails when
 * the command tree has a command no test here ran: a new subcommand needs a test in this class.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RrctlCommandsIT {
  private static final Duration CONVERGE = Duration.ofSeconds(60);
  private static final int SPARE = 3;

  @TempDir static Path dir;
  private static ProcessCluster cluster;
  private static InProcessRrctl rrctl;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = new ProcessCluster(dir, 3, 4);
    rrctl = new InProcessRrctl(List.of("--endpoint", cluster.endpointList(), "--output", "json", "--timeout", "10s"));
    await().atMost(CONVERGE).until(() -> rrctl.run("leader", "wait", "--max-wait", "1s").exitCode() == 0);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static InProcessRrctl.Result ok(String... args) {
    InProcessRrctl.Result result = rrctl.run(args);
    assertThat(result.exitCode()).as("rrctl %s: %s", String.join(" ", args), result.err()).isZero();
    return result;
  }

  private static String leaderId() {
    return ok("status").json().get("leader_id").asText();
  }

  private static String aFollower() {
    String leader = leaderId();
    return leader.equals("n1") ? "n2" : "n1";
  }

  @Test
  @Order(1)
  void statusShowsTheAnsweringNodeAndStatusAllShowsEveryNode() {
    JsonNode status = ok("status").json();
    assertThat(status.get("node_id").asText()).isIn("n1", "n2", "n3");
    assertThat(status.get("leader_id").asText()).isIn("n1", "n2", "n3");
    assertThat(status.get("facts").get("read_option").asText()).isEqualTo("LINEARIZABLE");
    assertThat(status.get("facts").get("fsync_samples").asInt()).isPositive();

    // Every --all command prints one JSON shape: a list of objects, each with node_id.
    JsonNode all = ok("status", "--all").json();
    assertThat(all.isArray()).isTrue();
    assertThat(all).hasSize(3);
    Set<String> leaders = new TreeSet<>();
    for (JsonNode node : all) {
      assertThat(node.get("reachable").asBoolean()).isTrue();
      leaders.add(node.get("leader_id").asText());
      assertThat(node.get("lag").asLong()).isNotNegative();
    }
    assertThat(leaders).hasSize(1);
  }

  @Test
  @Order(2)
  void doctorPassesOnAHealthyClusterWithEveryCheckListed() {
    await().atMost(CONVERGE).untilAsserted(() -> {
      InProcessRrctl.Result run = rrctl.run("doctor");
      assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    });
    JsonNode doctor = ok("doctor").json();
    assertThat(doctor.get("ok").asBoolean()).isTrue();
    List<String> names = new ArrayList<>();
    doctor.get("checks").forEach(c -> {
      names.add(c.get("check").asText());
      assertThat(c.get("status").asText()).isIn("PASS", "WARN");
    });
    assertThat(names).contains("ready leader", "every endpoint answers", "voters alive", "term stable",
        "followers caught up", "daemons", "alerts", "snapshot age", "fsync latency", "linearizable reads",
        "grpc message size", "clock offset");
    assertThat(doctor.get("checks").findValuesAsText("status")).doesNotContain("FAIL");
  }

  @Test
  @Order(3)
  void membersListsThreeVotersAndAddRemoveAListener() throws Exception {
    JsonNode members = ok("members").json().get("members");
    assertThat(members).hasSize(3);
    assertThat(members.findValuesAsText("role")).containsOnly("voter");
    assertThat(members.findValuesAsText("is_leader")).containsOnlyOnce("true");

    cluster.start(SPARE, "--join");
    // A joining node answers status once its servers are up; only then can the leader catch it up.
    InProcessRrctl spare = new InProcessRrctl(List.of("--endpoint", cluster.endpoint(SPARE).toString(), "--timeout", "2s"));
    await().atMost(CONVERGE).until(() -> spare.run("status").exitCode() == 0);
    String address = "127.0.0.1:" + cluster.raftPort(SPARE);
    JsonNode added = ok("members", "add", cluster.id(SPARE), address, "--listener", "--timeout", "30s").json().get("members");
    assertThat(added).hasSize(4);
    assertThat(find(added, "id", cluster.id(SPARE)).get("role").asText()).isEqualTo("listener");
    JsonNode removed = ok("members", "remove", cluster.id(SPARE)).json().get("members");
    assertThat(removed.findValuesAsText("id")).containsExactlyInAnyOrder("n1", "n2", "n3");
    cluster.kill(SPARE);
  }

  @Test
  @Order(4)
  void leaderTransferMovesLeadershipAndLeaderWaitSeesIt() {
    String target = aFollower();
    JsonNode moved = ok("leader", "transfer", "--to", target).json();
    assertThat(moved.get("leader_id").asText()).isEqualTo(target);
    JsonNode waited = ok("leader", "wait", "--max-wait", "30s").json();
    assertThat(waited.get("leader_id").asText()).isEqualTo(target);
    assertThat(waited.get("term").asLong()).isEqualTo(moved.get("term").asLong());
    // The new leader records itself in the history with its first writes, not at the moment it wins.
    await().atMost(CONVERGE).untilAsserted(() -> assertThat(ok("leaders", "history", "--limit", "5").json()
        .get("leaders").get(0).get("leader_id").asText()).isEqualTo(target));
  }

  @Test
  @Order(5)
  void nodesRegistryBlacklistAndDrain() {
    await().atMost(CONVERGE).until(() -> ok("nodes", "ls").json().get("nodes").findValuesAsText("node_id")
        .containsAll(List.of("n1", "n2", "n3")));
    JsonNode blacklisted = ok("nodes", "blacklist", "n3", "--duration-ms", "60000", "--reason", "it").json();
    assertThat(blacklisted.get("blacklisted_until_ms").asLong()).isPositive();
    JsonNode cleared = ok("nodes", "unblacklist", "n3").json();
    assertThat(cleared.get("blacklisted_until_ms").asLong(0)).isZero();
    assertThat(ok("nodes", "drain", "n3").json().get("draining").asBoolean()).isTrue();
    assertThat(ok("nodes", "drain", "n3", "--off").json().get("draining").asBoolean()).isFalse();
    assertThat(rrctl.run("nodes", "drain", "nobody").exitCode()).isEqualTo(4);
    // A typo is refused by the cluster, naming the node, and registers nothing.
    InProcessRrctl.Result unknown = rrctl.run("nodes", "blacklist", "n99");
    assertThat(unknown.exitCode()).isEqualTo(4);
    assertThat(unknown.err()).contains("no node n99");
    assertThat(ok("nodes", "ls").json().get("nodes").findValuesAsText("node_id")).doesNotContain("n99");
  }

  @Test
  @Order(6)
  void configGetSetAndRefusesUnknownKeys() {
    assertThat(ok("config", "get").json().get("entries").size()).isGreaterThan(5);
    JsonNode set = ok("config", "set", "queue.group_max_in_flight", "7").json();
    assertThat(set.get("value").asText()).isEqualTo("7");
    JsonNode one = ok("config", "get", "queue.group_max_in_flight").json().get("entries");
    assertThat(one).hasSize(1);
    assertThat(one.get(0).get("is_default").asBoolean()).isFalse();
    InProcessRrctl.Result unknown = rrctl.run("config", "set", "queue.no_such_key", "1");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err()).contains("queue.no_such_key");
  }

  @Test
  @Order(7)
  void queueLifeCycleThroughEveryQueueCommand() {
    String a = ok("queue", "add", "--type", "training", "--priority", "90", "--payload", "{\"n\":1}").json()
        .get("id").asText();
    String b = ok("queue", "add", "--type", "training", "--priority", "80").json().get("id").asText();
    assertThat(ok("queue", "get", a).json().get("state").asText()).isEqualTo("pending");
    JsonNode page = ok("queue", "list", "--state", "pending", "--type", "training", "--limit", "1").json();
    assertThat(page.get("items")).hasSize(1);
    String next = page.get("next_after_id").asText();
    assertThat(ok("queue", "ls", "--state", "pending", "--type", "training", "--after", next).json().get("items")
        .findValuesAsText("id")).contains(b);
    assertThat(ok("queue", "stats").json().get("pending").asLong()).isGreaterThanOrEqualTo(2);

    JsonNode claimed = ok("queue", "claim", "--worker", "w1", "--type", "training").json().get("items").get(0);
    assertThat(claimed.get("id").asText()).isEqualTo(a);
    String token = claimed.get("token").asText();
    assertThat(ok("queue", "extend", a, "--token", token, "--lease-ms", "60000").json().get("state").asText())
        .isEqualTo("claimed");
    assertThat(ok("queue", "start", a, "--token", token).json().get("state").asText()).isEqualTo("running");
    InProcessRrctl.Result stale = rrctl.run("queue", "complete", a, "--token", token + "9");
    assertThat(stale.exitCode()).as(stale.err()).isEqualTo(5);
    assertThat(ok("queue", "complete", a, "--token", token, "--result", "{\"ok\":1}").json().get("state").asText())
        .isEqualTo("completed");

    JsonNode second = ok("queue", "claim", "--worker", "w1", "--type", "training").json().get("items").get(0);
    assertThat(second.get("id").asText()).isEqualTo(b);
    assertThat(ok("queue", "release", b, "--token", second.get("token").asText()).json().get("state").asText())
        .isEqualTo("pending");
    JsonNode again = ok("queue", "claim", "--worker", "w1", "--type", "training").json().get("items").get(0);
    assertThat(ok("queue", "fail", b, "--token", again.get("token").asText(), "--error", "boom", "--permanent")
        .json().get("state").asText()).isEqualTo("failed");
    assertThat(ok("queue", "dead").json().get("items").findValuesAsText("id")).contains(b);
    assertThat(ok("queue", "redrive", b).json().get("items").get(0).get("state").asText()).isEqualTo("pending");
    assertThat(ok("queue", "cancel", b, "--reason", "it").json().get("state").asText()).isEqualTo("cancelled");
    assertThat(rrctl.run("queue", "cancel", b).exitCode()).as("cancel of a cancelled item").isEqualTo(5);
  }

  @Test
  @Order(8)
  void redriveAllReturnsEveryDeadLetterInBatches() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String id = ok("queue", "add", "--type", "gauntlet", "--priority", "100").json().get("id").asText();
      JsonNode item = ok("queue", "claim", "--worker", "w2", "--type", "gauntlet").json().get("items").get(0);
      ok("queue", "fail", id, "--token", item.get("token").asText(), "--error", "e", "--permanent");
      ids.add(id);
    }
    InProcessRrctl.Result redrive = ok("queue", "redrive", "--all", "--limit", "250");
    assertThat(redrive.err()).as("no progress output in json mode").isEmpty();
    JsonNode redriven = redrive.json().get("items");
    assertThat(redriven.findValuesAsText("id")).containsAll(ids);
    assertThat(ok("queue", "dead").json().get("items")).isEmpty();
    assertThat(rrctl.run("queue", "redrive").exitCode()).as("neither ids nor --all").isEqualTo(2);
  }

  @Test
  @Order(9)
  void eventsRecentAndWatch() {
    JsonNode recent = ok("events", "recent", "--limit", "5").json().get("events");
    assertThat(recent.size()).isBetween(1, 5);
    List<JsonNode> watched = ok("events", "watch", "--after", "1", "--count", "2").jsonLines();
    assertThat(watched).hasSize(2);
    assertThat(watched.get(0).get("seq").asLong()).isLessThan(watched.get(1).get("seq").asLong());

    // Work moving is visible in the event log: enqueue, claim and complete are events.
    long before = ok("events", "recent", "--limit", "1").json().get("events").get(0).get("seq").asLong();
    String id = ok("queue", "add", "--type", "tournament").json().get("id").asText();
    JsonNode claimed = ok("queue", "claim", "--worker", "events-it", "--type", "tournament").json().get("items").get(0);
    assertThat(claimed.get("id").asText()).isEqualTo(id);
    ok("queue", "complete", id, "--token", claimed.get("token").asText());
    List<String> types = new ArrayList<>();
    for (JsonNode event : ok("events", "recent", "--after", Long.toString(before), "--limit", "100").json()
        .get("events")) {
      if (event.get("subject").asText().equals(id)) {
        types.add(event.get("type").asText());
      }
    }
    assertThat(types).containsExactly("WORK_ENQUEUED", "WORK_CLAIMED", "WORK_COMPLETED");
  }

  @Test
  @Order(10)
  void syncHistoryAnswersWithAList() {
    assertThat(ok("sync", "history", "--limit", "10").json().get("records").isArray()).isTrue();
    assertThat(rrctl.run("sync", "history", "--status", "sideways").exitCode()).isEqualTo(2);
    JsonNode syncStatus = ok("sync", "status").json();
    assertThat(syncStatus.get("transfers").isArray()).isTrue();
    assertThat(syncStatus.get("datasets").isArray()).isTrue();
    // These nodes declare no dataset: a forced sync of one is "not found", and nothing is planned.
    InProcessRrctl.Result trigger = rrctl.run("sync", "trigger", "--dataset", "models");
    assertThat(trigger.exitCode()).isEqualTo(4);
    assertThat(trigger.err()).contains("no node declares dataset 'models'");
  }

  @Test
  @Order(11)
  void daemonsListStopStartAndRestart() {
    JsonNode one = ok("daemons", "ls").json();
    assertThat(one.get("daemons").findValuesAsText("name")).contains("job_reaper", "heartbeat", "event_router");
    JsonNode all = ok("daemons", "ls", "--all").json();
    assertThat(all.isArray()).isTrue();
    assertThat(all).hasSize(3);
    List<String> nodeIds = new ArrayList<>();
    all.forEach(n -> nodeIds.add(n.get("node_id").asText()));
    assertThat(nodeIds).containsExactlyInAnyOrder("n1", "n2", "n3");
    assertThat(all.get(0).get("daemons").findValuesAsText("name")).contains("heartbeat");
    JsonNode stats = ok("queue", "stats", "--all").json();
    assertThat(stats.isArray()).isTrue();
    assertThat(stats).hasSize(3);
    stats.forEach(n -> assertThat(n.get("node_id").asText()).isIn("n1", "n2", "n3"));
    stats.forEach(n -> assertThat(n.get("pending").isNumber()).isTrue());

    // One table with a NODE column, not one table per node without its name.
    InProcessRrctl table = new InProcessRrctl(List.of("--endpoint", cluster.endpointList(), "--timeout", "10s"));
    InProcessRrctl.Result daemons = table.run("daemons", "ls", "--all");
    assertThat(daemons.exitCode()).as(daemons.err()).isZero();
    assertThat(daemons.out().lines().filter(l -> l.startsWith("NODE")).count()).isEqualTo(1);
    assertThat(daemons.out()).containsPattern("(?m)^n1 +heartbeat ").containsPattern("(?m)^n3 +heartbeat ");

    assertThat(ok("daemons", "stop", "retention").json().get("enabled").asBoolean()).isFalse();
    assertThat(ok("daemons", "start", "retention").json().get("enabled").asBoolean()).isTrue();
    assertThat(ok("daemons", "restart", "heartbeat").json().get("name").asText()).isEqualTo("heartbeat");
    assertThat(rrctl.run("daemons", "restart", "no_such_daemon").exitCode()).isEqualTo(4);
  }

  @Test
  @Order(12)
  void snapshotTakeAndStateDigest() {
    InProcessRrctl.Result take = ok("snapshot", "take");
    assertThat(take.err()).as("no progress output in json mode").isEmpty();
    JsonNode snapshot = take.json();
    assertThat(snapshot.get("index").asLong()).isPositive();
    JsonNode digest = ok("state", "digest").json();
    assertThat(digest.get("digest").asText()).matches("[0-9a-f]{64}");
    assertThat(digest.get("node_id").asText()).isEqualTo(snapshot.get("node_id").asText());
    await().atMost(CONVERGE).until(() -> ok("status").json().get("facts").get("snapshot_time_ms").asLong() > 0);
  }

  @Test
  @Order(13)
  void helpCompletionAndUsageErrors() {
    InProcessRrctl.Result help = ok("help", "queue");
    assertThat(help.out()).contains("redrive", "Examples:");
    InProcessRrctl.Result root = rrctl.run("--help");
    assertThat(root.exitCode()).isZero();
    assertThat(root.out()).contains("Exit codes:", "3  cluster unavailable", "5  rejected");
    InProcessRrctl.Result completion = ok("completion", "bash");
    assertThat(completion.out()).contains("complete -F", "rrctl", "redrive", "--endpoint");
    assertThat(rrctl.run("completion", "fish").exitCode()).isEqualTo(2);
    assertThat(rrctl.run("queue", "add", "--bogus").exitCode()).isEqualTo(2);
    assertThat(rrctl.run("queue", "add", "--type", "selfplay", "--timeout", "soon").exitCode()).isEqualTo(2);
    assertThat(rrctl.run("nosuchcommand").exitCode()).isEqualTo(2);
  }

  @Test
  @Order(14)
  void unknownItemIsFourAndInvalidRequestIsOne() {
    InProcessRrctl.Result missing = rrctl.run("queue", "get", "w-999999");
    assertThat(missing.exitCode()).isEqualTo(4);
    assertThat(missing.err()).contains("w-999999");
    // Bad input has one exit code, whether rrctl or the cluster finds it (defect: 1 here, 2 there).
    assertThat(rrctl.run("queue", "add", "--type", "selfplay", "--priority", "101").exitCode()).isEqualTo(2);
    InProcessRrctl.Result tooMany = rrctl.run("queue", "claim", "--worker", "w1", "--max", "11");
    assertThat(tooMany.exitCode()).as(tooMany.err()).isEqualTo(2);
    assertThat(rrctl.run("queue", "complete", "w-1", "--token", "abc").exitCode()).isEqualTo(2);
    InProcessRrctl.Result http = new InProcessRrctl(List.of("--endpoint", "127.0.0.1:" + cluster.httpPort(0),
        "--timeout", "3s")).run("status");
    assertThat(http.exitCode()).isEqualTo(3);
    assertThat(http.err()).contains("not an admin port");
    InProcessRrctl.Result notJson = rrctl.run("queue", "add", "--type", "selfplay", "--payload", "not json");
    assertThat(notJson.exitCode()).isEqualTo(2);
    assertThat(notJson.err()).contains("--payload is not valid JSON");
  }

  @Test
  @Order(15)
  void noReachableEndpointIsThreeWithinTheTimeout() {
    int nobody = TestPorts.freeBlock(1);
    InProcessRrctl lonely = new InProcessRrctl(List.of("--endpoint", "127.0.0.1:" + nobody, "--output", "json",
        "--timeout", "1s"));
    long start = System.nanoTime();
    InProcessRrctl.Result down = lonely.run("status");
    long tookMs = (System.nanoTime() - start) / 1_000_000;
    assertThat(down.exitCode()).isEqualTo(3);
    assertThat(down.err()).startsWith("rrctl: cluster unavailable");
    assertThat(tookMs).as("ms to give up with --timeout 1s").isLessThan(3_000);
    assertThat(lonely.run("leader", "wait", "--max-wait", "1s").exitCode()).isEqualTo(3);
  }

  @Test
  @Order(16)
  void certsInitWritesACaAndOneCertificatePerNodeWorkerAndOperatorAndIssueAddsOne() throws Exception {
    Path certs = dir.resolve("certs");
    InProcessRrctl.Result init = ok("certs", "init", "--dir", certs.toString(), "--nodes", "n1,n2=10.0.0.2",
        "--workers", "gpu1");
    assertThat(init.out()).contains("n1.pem", "gpu1.pem", "admin.pem", "reader.pem", "operator.pem");
    for (String name : List.of("n1", "n2", "gpu1", "admin", "operator", "reader")) {
      java.security.cert.X509Certificate cert = org.ringrift.cluster.contract.tls.TlsMaterial.certificates(
          certs.resolve(name + ".pem"))[0];
      assertThat(org.ringrift.cluster.contract.tls.CertIdentity.of(cert)).get()
          .extracting(org.ringrift.cluster.contract.tls.CertIdentity::name).isEqualTo(name);
    }
    assertThat(rrctl.run("certs", "init", "--dir", certs.toString(), "--nodes", "n1").exitCode()).isEqualTo(2);
    ok("certs", "issue", "--dir", certs.toString(), "--name", "alice", "--role", "operate", "--days", "1");
    assertThat(org.ringrift.cluster.contract.tls.CertIdentity.of(org.ringrift.cluster.contract.tls.TlsMaterial.certificates(
        certs.resolve("alice.pem"))[0]).orElseThrow().role()).isEqualTo(org.ringrift.cluster.contract.tls.CertRole.OPERATE);
    assertThat(rrctl.run("certs", "issue", "--dir", certs.toString(), "--name", "bob", "--role", "root").exitCode())
        .isEqualTo(2);
  }

  @Test
  @Order(17)
  void stateSessionsListsSessionsAndCountsAResendAsADedupeHitInStatusAndMetrics() throws Exception {
    long hitsBefore = ok("state", "sessions").json().get("totals").get("dedupe_hits").asLong();
    io.grpc.ManagedChannel channel = org.ringrift.cluster.contract.tls.TlsChannels.plaintext()
        .channel("127.0.0.1", cluster.adminPort(0));
    try (org.ringrift.cluster.client.ClusterClient client = new org.ringrift.cluster.client.ClusterClient(
        cluster.endpoints(), Duration.ofSeconds(10), org.ringrift.cluster.contract.tls.TlsChannels.plaintext(),
        "sessions-it")) {
      // The client's first session write opens its session (enqueues rely on idempotency keys instead).
      client.setConfig("queue.group_max_in_flight", "7");
      // A raw client sends the same write twice with the same (session, seq): the second answers the first.
      long rawId = stub(channel).openSession(OpenSessionRequest.newBuilder().setClientName("raw-resender").build())
          .getSessionId();
      EnqueueRequest write = EnqueueRequest.newBuilder().setType(WorkType.WORK_TYPE_TRAINING).setPriority(11).build();
      String first = inSession(stub(channel), rawId, 1).enqueue(write).getItem().getId();
      String resent = inSession(stub(channel), rawId, 1).enqueue(write).getItem().getId();
      assertThat(resent).as("a resend answers the first result, no second item").isEqualTo(first);

      JsonNode listed = ok("state", "sessions").json();
      JsonNode raw = find(listed.get("sessions"), "session_id", Long.toString(rawId));
      assertThat(raw.get("client_name").asText()).isEqualTo("raw-resender");
      assertThat(raw.get("last_seq").asLong()).isEqualTo(1);
      assertThat(raw.get("results_held").asInt()).isEqualTo(1);
      assertThat(raw.get("result_bytes").asLong()).isPositive();
      assertThat(raw.get("opened_ms").isIntegralNumber()).isTrue();
      assertThat(raw.get("idle_ms").isIntegralNumber()).isTrue();
      assertThat(raw.get("idle_ms").asLong()).isBetween(0L, 60_000L);
      assertThat(listed.get("sessions").findValuesAsText("client_name")).contains("sessions-it");
      JsonNode totals = listed.get("totals");
      assertThat(totals.get("open").asLong()).isGreaterThanOrEqualTo(2);
      assertThat(totals.get("dedupe_hits").asLong()).isGreaterThanOrEqualTo(hitsBefore + 1);
      assertThat(totals.get("result_bytes").asLong()).isGreaterThanOrEqualTo(raw.get("result_bytes").asLong());
      for (String counter : List.of("evicted", "expired", "rejected_expired", "closed")) {
        assertThat(totals.get(counter).isIntegralNumber()).as(counter).isTrue();
      }
      assertThat(listed.get("next_after_session_id").isNull()).isTrue();

      JsonNode page = ok("state", "sessions", "--limit", "1").json();
      assertThat(page.get("sessions")).hasSize(1);
      assertThat(page.get("next_after_session_id").asLong()).isEqualTo(page.get("sessions").get(0).get("session_id").asLong());
      for (String bad : List.of("0", "1001")) {
        InProcessRrctl.Result refused = rrctl.run("state", "sessions", "--limit", bad);
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).contains("--limit " + bad, "1-1000");
      }

      InProcessRrctl table = new InProcessRrctl(List.of("--endpoint", cluster.endpointList(), "--timeout", "10s"));
      InProcessRrctl.Result shown = table.run("state", "sessions");
      assertThat(shown.exitCode()).as(shown.err()).isZero();
      assertThat(shown.out()).contains("ID", "CLIENT", "LAST_SEQ", "ACKED_BELOW", "RESULTS_HELD", "RESULT_BYTES", "IDLE",
          "OPENED", "raw-resender", "sessions-it", "dedupe_hits", "evicted", "expired");
      assertThat(shown.out()).containsPattern("(?m)^" + rawId + " +raw-resender +1 +\\d+ +1 +\\S+ +\\S+ +"
          + "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z$");
      assertThat(table.run("state", "sessions", "--limit", "1").out()).contains("shown", "raise --limit");

      long hits = totals.get("dedupe_hits").asLong();
      // Status reads the answering node's own state; /metrics, the last sample of each node's monitor.
      await().atMost(CONVERGE).untilAsserted(() -> {
        JsonNode status = ok("status").json();
        assertThat(status.get("sessions_open").asLong()).isGreaterThanOrEqualTo(2);
        assertThat(status.get("session_dedupe_hits").asLong()).isGreaterThanOrEqualTo(hits);
      });
      java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
      for (int node = 0; node < 3; node++) {
        int port = cluster.httpPort(node);
        await().atMost(CONVERGE).untilAsserted(() -> {
          assertThat(get(http, port, "/status").get("session_dedupe_hits").asLong()).isGreaterThanOrEqualTo(hits);
          String metrics = metrics(http, port);
          assertThat(metric(metrics, "ringrift_session_dedupe_hits_total")).isGreaterThanOrEqualTo(hits);
          assertThat(metric(metrics, "ringrift_sessions_open")).isGreaterThanOrEqualTo(2);
          assertThat(metric(metrics, "ringrift_session_result_bytes")).isPositive();
        });
        String metrics = metrics(http, port);
        for (String name : List.of("ringrift_sessions_open", "ringrift_session_dedupe_hits_total",
            "ringrift_session_evictions_total", "ringrift_session_expired_total",
            "ringrift_session_expired_rejections_total", "ringrift_session_result_bytes")) {
          assertThat(metric(metrics, name)).as(name).isNotNegative();
          String family = name.replaceFirst("_total$", "");
          assertThat(metrics).as("HELP of " + name).containsPattern("(?m)^# HELP " + family + "(_total)? \\S");
        }
      }
      stub(channel).closeSession(CloseSessionRequest.newBuilder().setSessionId(rawId).build());
    } finally {
      channel.shutdownNow();
    }
    // A closed session is gone from the list (a client's own close on exit is best effort, so not checked).
    assertThat(ok("state", "sessions").json().get("sessions").findValuesAsText("client_name"))
        .doesNotContain("raw-resender");
  }

  @Test
  @Order(18)
  void queuePriorityMovesAPendingItemInClaimOrderOnceTheClusterRunsItsLevel() {
    String first = ok("queue", "add", "--type", "hyperparam_sweep", "--priority", "50").json().get("id").asText();
    String second = ok("queue", "add", "--type", "hyperparam_sweep", "--priority", "50").json().get("id").asText();
    InProcessRrctl.Result early = rrctl.run("queue", "priority", second, "95");
    assertThat(early.exitCode()).as(early.err()).isEqualTo(5);
    assertThat(early.err()).contains("priority needs feature level 3").contains("rrctl cluster upgrade --to 3");

    // Every node runs this build: the level can rise (heartbeats report what each supports).
    await().atMost(CONVERGE).until(() -> rrctl.run("cluster", "upgrade", "--to", "3").exitCode() == 0);
    JsonNode raised = ok("queue", "priority", second, "95").json();
    assertThat(raised.get("id").asText()).isEqualTo(second);
    assertThat(raised.get("priority").asInt()).isEqualTo(95);
    assertThat(raised.get("state").asText()).isEqualTo("pending");
    InProcessRrctl table = new InProcessRrctl(List.of("--endpoint", cluster.endpointList(), "--timeout", "10s"));
    InProcessRrctl.Result shown = table.run("queue", "priority", first, "10");
    assertThat(shown.exitCode()).as(shown.err()).isZero();
    assertThat(shown.out()).containsPattern("(?m)^priority +10$").contains(first);

    JsonNode claimed = ok("queue", "claim", "--worker", "w-prio", "--type", "hyperparam_sweep").json()
        .get("items").get(0);
    assertThat(claimed.get("id").asText()).as("the raised item is claimed first").isEqualTo(second);
    InProcessRrctl.Result notPending = rrctl.run("queue", "priority", second, "20");
    assertThat(notPending.exitCode()).as(notPending.err()).isEqualTo(5);
    assertThat(notPending.err()).contains("is claimed");
    assertThat(rrctl.run("queue", "priority", "w-999999", "20").exitCode()).as("unknown item").isEqualTo(4);
    InProcessRrctl.Result bad = rrctl.run("queue", "priority", first, "101");
    assertThat(bad.exitCode()).as(bad.err()).isEqualTo(2);
    assertThat(bad.err()).contains("priority").contains("0-100");
    assertThat(ok("events", "recent", "--type", "WORK_PRIORITY_CHANGED").json().toString())
        .contains("priority 50 -> 95").contains("priority 50 -> 10");
  }

  private static AdminServiceGrpc.AdminServiceBlockingStub stub(io.grpc.Channel channel) {
    return AdminServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, java.util.concurrent.TimeUnit.SECONDS);
  }

  /** The stub with the headers of write {@code seq} of session {@code id}, as ClusterClient sends them. */
  private static AdminServiceGrpc.AdminServiceBlockingStub inSession(AdminServiceGrpc.AdminServiceBlockingStub stub,
      long id, long seq) {
    io.grpc.Metadata headers = new io.grpc.Metadata();
    headers.put(io.grpc.Metadata.Key.of("rr-session-id", io.grpc.Metadata.ASCII_STRING_MARSHALLER), Long.toString(id));
    headers.put(io.grpc.Metadata.Key.of("rr-session-seq", io.grpc.Metadata.ASCII_STRING_MARSHALLER), Long.toString(seq));
    headers.put(io.grpc.Metadata.Key.of("rr-session-acked-below", io.grpc.Metadata.ASCII_STRING_MARSHALLER),
        Long.toString(seq));
    return stub.withInterceptors(io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  private static String metrics(java.net.http.HttpClient http, int port) throws Exception {
    return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/metrics"))
        .GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
  }

  private static JsonNode get(java.net.http.HttpClient http, int port, String path) throws Exception {
    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(http.send(java.net.http.HttpRequest.newBuilder(
        java.net.URI.create("http://127.0.0.1:" + port + path)).GET().build(),
        java.net.http.HttpResponse.BodyHandlers.ofString()).body());
  }

  /** The value of an unlabelled series in a Prometheus text exposition. */
  private static long metric(String exposition, String name) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^" + name + " (\\S+)$").matcher(exposition);
    if (!m.find()) {
      throw new AssertionError("no series " + name + " in /metrics");
    }
    return (long) Double.parseDouble(m.group(1));
  }

  /**
   * Commands whose end-to-end test lives in another class, with that class's name: an entry here
   * is a promise someone can check. Prefer a test in this class; this list is for commands that
   * need a cluster this class does not have (e.g. one with data to sync).
   */
  private static final Map<String, String> COVERED_ELSEWHERE = Map.of(
      // A cluster that starts at an old feature level and is rolled to a new one.
      "cluster feature-level", "UpgradeIT", "cluster upgrade", "UpgradeIT", "queue annotate", "UpgradeIT");

  @Test
  @Order(100)
  void everyCommandOfTheTreeWasDrivenByThisClass() {
    Set<String> untested = new TreeSet<>(InProcessRrctl.runnableCommands());
    untested.removeAll(rrctl.ran());
    untested.removeAll(COVERED_ELSEWHERE.keySet());
    assertThat(untested).as("rrctl commands no test of RrctlCommandsIT ran; add one").isEmpty();
  }

  private static JsonNode find(JsonNode array, String field, String value) {
    for (JsonNode node : array) {
      if (node.get(field).asText().equals(value)) {
        return node;
      }
    }
    throw new AssertionError("no element with " + field + "=" + value + " in " + array);
  }
}
