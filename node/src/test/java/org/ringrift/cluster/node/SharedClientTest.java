package org.ringrift.cluster.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ringrift.cluster.client.ClusterClient;
import org.ringrift.cluster.client.ClusterException;
import org.ringrift.cluster.contract.errors.ErrorKind;
import org.ringrift.cluster.proto.EnqueueRequest;
import org.ringrift.cluster.proto.ListItemsRequest;
import org.ringrift.cluster.proto.WorkType;
import org.ringrift.cluster.raft.RaftSettings;

/** One ClusterClient shared by many threads: no call waits for another, and all follow the leader. */
class SharedClientTest {
  private static final Duration CONVERGE = Duration.ofSeconds(30);
  private static final int THREADS = 16;

  @TempDir Path dir;

  @Test
  void repliesNameTheLeaderAndTheClientFollowsIt() throws Exception {
    try (LocalCluster cluster = new LocalCluster(dir, 3, RaftSettings.defaults(), LocalCluster.quiet())) {
      await().atMost(CONVERGE).until(() -> cluster.readyLeader().isPresent());
      int leader = cluster.readyLeader().orElseThrow();
      // Only a follower is configured: its replies must name the leader, and the client go there.
      int follower = (leader + 1) % 3;
      try (ClusterClient client = new ClusterClient(List.of(cluster.endpoint(follower)), Duration.ofSeconds(10))) {
        await().atMost(CONVERGE).untilAsserted(() -> {
          client.queueStats();
          assertThat(client.leaderHint()).hasValueSatisfying(hint -> {
            assertThat(hint.leaderId()).isEqualTo(cluster.node(leader).raft().id());
            assertThat(hint.endpoint()).isEqualTo(cluster.endpoint(leader));
          });
        });
        cluster.stop(follower);
        // The configured endpoint is gone; the hinted leader still answers.
        assertThat(client.enqueue(enqueue("via-hint")).getCreated()).isTrue();
      }
    }
  }

  @Test
  void manyThreadsShareOneClientThroughALeaderKill() throws Exception {
    try (LocalCluster cluster = new LocalCluster(dir, 3, RaftSettings.defaults(), LocalCluster.quiet())) {
      await().atMost(CONVERGE).until(() -> cluster.readyLeader().isPresent());
      ClusterClient client = cluster.client();
      Set<String> acknowledged = ConcurrentHashMap.newKeySet();
      AtomicInteger unavailable = new AtomicInteger();
      AtomicBoolean stop = new AtomicBoolean();
      CyclicBarrier allStarted = new CyclicBarrier(THREADS + 1);
      CountDownLatch done = new CountDownLatch(THREADS);
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        threads.add(new Thread(() -> {
          try {
            allStarted.await();
            for (int i = 0; !stop.get(); i++) {
              String key = "t" + thread + "-" + i;
              try {
                client.enqueue(enqueue(key).toBuilder().setIdempotencyKey(key).build());
                acknowledged.add(key);
              } catch (ClusterException e) {
                assertThat(e.kind()).as(e.getMessage()).isEqualTo(ErrorKind.UNAVAILABLE);
                unavailable.incrementAndGet();
                // Pacing, not waiting for anything: a refused connection fails at once.
                Thread.sleep(10);
              }
            }
          } catch (Exception e) {
            throw new AssertionError(e);
          } finally {
            done.countDown();
          }
        }, "writer-" + t));
      }
      threads.forEach(Thread::start);
      allStarted.await();
      await().atMost(CONVERGE).until(() -> acknowledged.size() >= 200);

      int oldLeader = cluster.readyLeader().orElseThrow();
      cluster.stop(oldLeader);
      int before = acknowledged.size();
      await().atMost(CONVERGE).until(() -> acknowledged.size() >= before + 200);
      stop.set(true);
      assertThat(done.await(30, TimeUnit.SECONDS)).as("every writer finished").isTrue();

      int newLeader = cluster.readyLeader().orElseThrow();
      assertThat(client.leaderHint()).hasValueSatisfying(
          hint -> assertThat(hint.endpoint()).isEqualTo(cluster.endpoint(newLeader)));
      // Every acknowledged enqueue is in the queue, once.
      List<String> keys = new ArrayList<>();
      String after = "";
      while (true) {
        var page = client.listItems(ListItemsRequest.newBuilder().setAfterId(after).setLimit(500).build());
        page.getItemsList().forEach(item -> keys.add(item.getIdempotencyKey()));
        if (page.getItemsCount() < 500) {
          break;
        }
        after = page.getItems(page.getItemsCount() - 1).getId();
      }
      assertThat(keys).doesNotHaveDuplicates().containsAll(acknowledged);
      System.out.printf("shared client: %d acknowledged, %d unavailable%n", acknowledged.size(), unavailable.get());
    }
  }

  /**
   * A call stuck on a node that never answers (TCP accepted, no HTTP/2) must not hold up another
   * thread's call through the same client: there is no lock around calls.
   */
  @Test
  void aStuckCallDoesNotHoldUpAnotherThreadsCall() throws Exception {
    try (LocalCluster cluster = new LocalCluster(dir, 3, RaftSettings.defaults(), LocalCluster.quiet());
        java.net.ServerSocket silent = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      await().atMost(CONVERGE).until(() -> cluster.readyLeader().isPresent());
      List<java.net.Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();
      Thread acceptor = new Thread(() -> {
        try {
          while (!silent.isClosed()) {
            held.add(silent.accept());
          }
        } catch (java.io.IOException closed) {
          // the test is over
        }
      }, "silent-acceptor");
      acceptor.start();
      org.ringrift.cluster.contract.Endpoint stuck = new org.ringrift.cluster.contract.Endpoint("127.0.0.1",
          silent.getLocalPort());
      int leader = cluster.readyLeader().orElseThrow();
      try (ClusterClient client = new ClusterClient(List.of(stuck, cluster.endpoint(leader)), Duration.ofSeconds(20))) {
        // No leader known yet: this call starts at the silent node and waits there.
        java.util.concurrent.CompletableFuture<Object> waiting =
            java.util.concurrent.CompletableFuture.supplyAsync(client::queueStats);
        await().atMost(CONVERGE).until(() -> !held.isEmpty());
        client.statusOf(cluster.endpoint(leader));

        long started = System.nanoTime();
        client.queueStats();
        long tookMs = (System.nanoTime() - started) / 1_000_000;

        assertThat(waiting).as("the stuck call is still waiting (took %d ms for the other)", tookMs).isNotDone();
      } finally {
        silent.close();
        for (java.net.Socket socket : held) {
          socket.close();
        }
      }
    }
  }

  private static EnqueueRequest enqueue(String payload) {
    return EnqueueRequest.newBuilder().setType(WorkType.WORK_TYPE_SELFPLAY).setPriority(50)
        .setPayload(ByteString.copyFromUtf8(payload)).build();
  }
}
