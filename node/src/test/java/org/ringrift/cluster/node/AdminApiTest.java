package org.ringrift.cluster.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ringrift.cluster.client.ClusterClient;
import org.ringrift.cluster.client.ClusterException;
import org.ringrift.cluster.contract.errors.ErrorKind;
import org.ringrift.cluster.proto.BlacklistNodeRequest;
import org.ringrift.cluster.proto.CancelRequest;
import org.ringrift.cluster.proto.ClaimRequest;
import org.ringrift.cluster.proto.EnqueueBatchRequest;
import org.ringrift.cluster.proto.EnqueueRequest;
import org.ringrift.cluster.proto.ExtendRequest;
import org.ringrift.cluster.proto.FailRequest;
import org.ringrift.cluster.proto.HeartbeatRequest;
import org.ringrift.cluster.proto.ListItemsRequest;
import org.ringrift.cluster.proto.NodeHealth;
import org.ringrift.cluster.proto.RecentEventsRequest;
import org.ringrift.cluster.proto.RedriveRequest;
import org.ringrift.cluster.proto.ReleaseRequest;
import org.ringrift.cluster.proto.StartRequest;
import org.ringrift.cluster.proto.SyncHistoryRequest;
import org.ringrift.cluster.proto.WorkItem;
import org.ringrift.cluster.proto.WorkState;
import org.ringrift.cluster.proto.WorkType;
import org.ringrift.cluster.raft.RaftSettings;

/** Every admin call once, through a real 3-node cluster, with the answers the state machine promises. */
class AdminApiTest {
  @TempDir static Path dir;
  static LocalCluster cluster;
  static ClusterClient client;

  @BeforeAll
  static void start() throws Exception {
    // One heartbeat per node at start and none for an hour: nothing but the test writes to the log.
    cluster = new LocalCluster(dir, 3, RaftSettings.defaults(), LocalCluster.quiet());
    client = cluster.client();
    await().atMost(Duration.ofSeconds(30)).until(() -> cluster.readyLeader().isPresent());
    await().atMost(Duration.ofSeconds(30)).until(() -> client.listNodes().size() >= 3);
  }

  @AfterAll
  static void stop() throws Exception {
    cluster.close();
  }

  private static EnqueueRequest.Builder selfplay() {
    return EnqueueRequest.newBuilder().setType(WorkType.WORK_TYPE_SELFPLAY).setPriority(50);
  }

  @Test
  void workerLifeCycleThroughTheApi() {
    client.enqueueBatch(EnqueueBatchRequest.newBuilder().addItems(selfplay().setGroupKey("api"))
        .addItems(selfplay().addRequiredCapabilities("gpu"))
        .build());
    WorkItem item = client.claim(ClaimRequest.newBuilder().setWorkerId("api-w1").setNodeId("api-n1")
        .addCapabilities("gpu").setMaxItems(1).build()).getItems(0);
    assertThat(item.getClaimedNode()).isEqualTo("api-n1");

    WorkItem running = client.start(StartRequest.newBuilder().setItemId(item.getId()).setToken(item.getLease()).build());
    assertThat(running.getState()).isEqualTo(WorkState.WORK_STATE_RUNNING);
    WorkItem extended = client.extend(ExtendRequest.newBuilder().setItemId(item.getId()).setToken(item.getLease())
        .setLeaseMs(600_000).build());
    assertThat(extended.getLeaseExpiresMs()).isGreaterThan(item.getLeaseExpiresMs());

    WorkItem retried = client.fail(FailRequest.newBuilder().setItemId(item.getId()).setToken(item.getLease())
        .setError("out of memory").build());
    assertThat(retried.getState()).isEqualTo(WorkState.WORK_STATE_PENDING);
    assertThat(retried.getExcludedNodesList()).contains("api-n1");
    assertThat(retried.getNotBeforeMs()).isGreaterThan(0);

    WorkItem other = client.claim(ClaimRequest.newBuilder().setWorkerId("api-w2").setNodeId("api-n2")
        .addCapabilities("gpu").setMaxItems(1).build()).getItems(0);
    assertThat(other.getId()).isNotEqualTo(item.getId());
    WorkItem released = client.release(ReleaseRequest.newBuilder().setItemId(other.getId()).setToken(other.getLease()).build());
    assertThat(released.getAttempts()).isZero();
    WorkItem cancelled = client.cancel(CancelRequest.newBuilder().setItemId(other.getId()).setReason("not needed").build());
    assertThat(cancelled.getState()).isEqualTo(WorkState.WORK_STATE_CANCELLED);

    assertThat(client.listItems(ListItemsRequest.newBuilder().addStates(WorkState.WORK_STATE_CANCELLED).build())
        .getItemsList()).extracting(WorkItem::getId).contains(other.getId());
    assertThat(client.recentEvents(RecentEventsRequest.newBuilder().setType("WORK_RETRY").build()))
        .anySatisfy(e -> assertThat(e.getSubject()).isEqualTo(item.getId()));
  }

  @Test
  void deadLettersCanBeRedriven() {
    WorkItem item = client.enqueue(selfplay().setMaxAttempts(1).setGroupKey("dead").build()).getItem();
    WorkItem claimed = client.claim(ClaimRequest.newBuilder().setWorkerId("dead-w").setMaxItems(10).build())
        .getItemsList().stream().filter(i -> i.getId().equals(item.getId())).findFirst().orElseThrow();
    WorkItem dead = client.fail(FailRequest.newBuilder().setItemId(claimed.getId()).setToken(claimed.getLease())
        .setError("bad board").build());
    assertThat(dead.getState()).isEqualTo(WorkState.WORK_STATE_FAILED);

    List<WorkItem> redriven = client.redrive(RedriveRequest.newBuilder().addItemIds(item.getId()).build());

    assertThat(redriven).singleElement().satisfies(i -> {
      assertThat(i.getState()).isEqualTo(WorkState.WORK_STATE_PENDING);
      assertThat(i.getAttempts()).isZero();
    });
  }

  @Test
  void nodesConfigDaemonsHistoryAndSnapshots() {
    client.heartbeat(HeartbeatRequest.newBuilder().setNodeId("gpu-7").addCapabilities("gpu").build());
    assertThat(client.listNodes()).anySatisfy(n -> {
      assertThat(n.getNodeId()).isEqualTo("gpu-7");
      assertThat(n.getHealth()).isEqualTo(NodeHealth.NODE_HEALTH_ALIVE);
    });
    assertThat(client.blacklistNode(BlacklistNodeRequest.newBuilder().setNodeId("gpu-7").setDurationMs(60_000).build())
        .getBlacklistedUntilMs()).isGreaterThan(0);
    assertKind(() -> client.claim(ClaimRequest.newBuilder().setWorkerId("gpu-7").build()),
        ErrorKind.FAILED_PRECONDITION, "blacklisted");
    assertThat(client.unblacklistNode("gpu-7").getBlacklistedUntilMs()).isZero();
    // A node the registry does not know is refused, naming it, and not registered by the attempt.
    assertKind(() -> client.blacklistNode(BlacklistNodeRequest.newBuilder().setNodeId("n99").build()),
        ErrorKind.NOT_FOUND, "no node n99");
    assertThat(client.listNodes()).noneSatisfy(n -> assertThat(n.getNodeId()).isEqualTo("n99"));
    assertThat(client.drainNode("gpu-7", true).getDraining()).isTrue();

    assertThat(client.setConfig("events.max_history", "500").getValue()).isEqualTo("500");
    assertKind(() -> client.setConfig("events.max_history", "5"), ErrorKind.INVALID_ARGUMENT, "10-100000");
    assertKind(() -> client.setConfig("no.such.key", "1"), ErrorKind.INVALID_ARGUMENT, "unknown config key");
    assertThat(client.getConfig("events.max_history")).singleElement()
        .satisfies(e -> assertThat(e.getValue()).isEqualTo("500"));

    assertThat(client.setDaemonDesired("job_reaper", false).getEnabled()).isFalse();
    assertThat(client.listDaemonDesired()).anySatisfy(d -> {
      assertThat(d.getName()).isEqualTo("job_reaper");
      assertThat(d.getEnabled()).isFalse();
    });
    assertKind(() -> client.setDaemonDesired("bogus", true), ErrorKind.INVALID_ARGUMENT, "unknown daemon");

    long term = client.status().getTerm();
    await().atMost(Duration.ofSeconds(10)).until(() -> !client.leaderHistory(10).isEmpty());
    assertThat(client.leaderHistory(10).get(0).getTerm()).isEqualTo(term);
    assertThat(client.syncHistory(SyncHistoryRequest.getDefaultInstance())).isEmpty();

    long index = client.takeSnapshot(cluster.endpoint(0));
    assertThat(index).isGreaterThan(0);
    await().atMost(Duration.ofSeconds(10)).until(() -> client.statusOf(cluster.endpoint(0)).getSnapshotIndex() >= index);
  }

  @Test
  void eventsCanBeWatchedLive() throws Exception {
    client.setConfig("populator.max_per_cycle", "50");
    long seq = client.recentEvents(RecentEventsRequest.newBuilder().setType("CONFIG_CHANGED").setLimit(1).build())
        .get(0).getSeq();
    java.util.concurrent.BlockingQueue<org.ringrift.cluster.proto.Event> seen =
        new java.util.concurrent.LinkedBlockingQueue<>();
    Thread watcher = new Thread(() -> client.watchEvents(org.ringrift.cluster.proto.WatchEventsRequest.newBuilder()
        .setAfterSeq(seq).setType("CONFIG_CHANGED").build(), event -> {
          seen.add(event);
          return !event.getMessage().contains("= 60");
        }));
    watcher.start();

    client.setConfig("populator.max_per_cycle", "60");

    org.ringrift.cluster.proto.Event event = seen.poll(30, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(event).isNotNull();
    assertThat(event.getSeq()).isGreaterThan(seq);
    assertThat(event.getMessage()).isEqualTo("populator.max_per_cycle = 60");
    watcher.join(30_000);
    assertThat(watcher.isAlive()).isFalse();
  }

  @Test
  void badInputIsRefusedAtTheEdgeAndChangesNothing() {
    client.openSession(); // the client's first write opens its session: a write of its own, done here
    await().atMost(Duration.ofSeconds(10)).until(() -> client.statusOf(cluster.endpoint(0)).getAppliedIndex()
        == client.statusOf(cluster.endpoint(0)).getCommitIndex());
    String before = client.digestOf(cluster.endpoint(0)).getDigest();
    long appliedBefore = client.statusOf(cluster.endpoint(0)).getAppliedIndex();

    assertKind(() -> client.enqueue(selfplay().setPriority(101).build()), ErrorKind.INVALID_ARGUMENT, "priority");
    assertKind(() -> client.enqueue(selfplay().addDependsOn("nope").build()), ErrorKind.INVALID_ARGUMENT, "depends_on");
    assertKind(() -> client.claim(ClaimRequest.newBuilder().setWorkerId("w").setMaxItems(11).build()),
        ErrorKind.INVALID_ARGUMENT, "max_items");
    assertKind(() -> client.enqueueBatch(EnqueueBatchRequest.getDefaultInstance()), ErrorKind.INVALID_ARGUMENT, "items");

    // Refused before the log: nothing was applied, not even a rejection.
    assertThat(client.statusOf(cluster.endpoint(0)).getAppliedIndex()).isEqualTo(appliedBefore);
    assertThat(client.digestOf(cluster.endpoint(0)).getDigest()).isEqualTo(before);
  }

  @Test
  void setPriorityIsRefusedBelowItsLevelThenMovesAPendingItemInClaimOrder() {
    EnqueueRequest sweep = EnqueueRequest.newBuilder().setType(WorkType.WORK_TYPE_HYPERPARAM_SWEEP).setPriority(50)
        .build();
    WorkItem first = client.enqueue(sweep).getItem();
    WorkItem second = client.enqueue(sweep).getItem();
    // No other test of this class raises the level: the cluster starts, and is here, at level 1.
    assertThat(client.featureLevel().getLevel().getLevel()).isEqualTo(1);
    assertKind(() -> client.setPriority(second.getId(), 90), ErrorKind.FAILED_PRECONDITION,
        "priority needs feature level 3");
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> client.setFeatureLevel(3).getLevel() == 3);

    WorkItem raised = client.setPriority(second.getId(), 90);

    assertThat(raised.getPriority()).isEqualTo(90);
    assertThat(client.getItem(second.getId()).getPriority()).isEqualTo(90);
    assertKind(() -> client.setPriority(first.getId(), 101), ErrorKind.INVALID_ARGUMENT, "0-100");
    assertKind(() -> client.setPriority("w-987654", 1), ErrorKind.NOT_FOUND, "w-987654");
    ClaimRequest claim = ClaimRequest.newBuilder().setWorkerId("prio-w").setMaxItems(1)
        .addWorkTypes(WorkType.WORK_TYPE_HYPERPARAM_SWEEP).build();
    assertThat(client.claim(claim).getItems(0).getId()).isEqualTo(second.getId());
    assertKind(() -> client.setPriority(second.getId(), 10), ErrorKind.FAILED_PRECONDITION, "is claimed");
    assertThat(client.claim(claim).getItems(0).getId()).isEqualTo(first.getId());
  }

  private static void assertKind(Runnable call, ErrorKind kind, String messagePart) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(ClusterException.class, e -> {
      assertThat(e.kind()).isEqualTo(kind);
      assertThat(e.getMessage()).contains(messagePart);
    });
  }
}
