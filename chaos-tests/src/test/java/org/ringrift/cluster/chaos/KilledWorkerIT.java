package org.ringrift.cluster.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ringrift.cluster.client.ClusterClient;
import org.ringrift.cluster.proto.EnqueueRequest;
import org.ringrift.cluster.proto.WorkItem;
import org.ringrift.cluster.proto.WorkState;
import org.ringrift.cluster.proto.WorkType;
import org.ringrift.cluster.raft.TestPorts;

/**
 * A worker-only rrnode process dies with kill -9 while its item runs: nobody extends the lease,
 * and the leader's job reaper hands the item back to the queue, with the dead node excluded
 * and charged, once the lease has run out.
 */
class KilledWorkerIT {
  private static final long WORKER_LEASE_MS = 3_000;

  @TempDir Path dir;

  @Test
  void aKilledWorkersItemReturnsToTheQueueThroughTheReaper() throws Exception {
    try (ChaosCluster cluster = new ChaosCluster(dir, ChaosCluster.Options.of(3))) {
      ClusterClient admin = cluster.admin();
      await().atMost(Duration.ofSeconds(60)).until(cluster::leader, Optional::isPresent);
      Process worker = startWorker(cluster);
      try {
        WorkItem item = admin.enqueue(EnqueueRequest.newBuilder().setType(WorkType.WORK_TYPE_TOURNAMENT)
            .setPayload(ByteString.copyFromUtf8("{}")).setMaxAttempts(3).build()).getItem();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
          WorkItem now = admin.getItem(item.getId());
          return now.getState() == WorkState.WORK_STATE_RUNNING && now.getClaimedNode().equals("w1");
        });
        long expiredBefore = admin.queueStats().getLeasesExpired();

        List<ProcessHandle> children = worker.descendants().toList();
        worker.destroyForcibly();
        assertThat(worker.waitFor(30, TimeUnit.SECONDS)).isTrue();
        // The work process outlives its worker, as on a real crash; it holds no lease and is cleaned up here.
        children.forEach(ProcessHandle::destroyForcibly);

        await().atMost(Duration.ofSeconds(60)).until(() -> admin.getItem(item.getId()).getState() == WorkState.WORK_STATE_PENDING);
        WorkItem back = admin.getItem(item.getId());
        assertThat(back.getLastError()).isEqualTo("lease expired");
        assertThat(back.getExcludedNodesList()).contains("w1");
        assertThat(admin.queueStats().getLeasesExpired()).isEqualTo(expiredBefore + 1);
        assertThat(admin.listNodes()).anySatisfy(n -> {
          assertThat(n.getNodeId()).isEqualTo("w1");
          assertThat(n.getFailureCount()).isEqualTo(1);
        });
      } finally {
        worker.descendants().forEach(ProcessHandle::destroyForcibly);
        worker.destroyForcibly();
      }
    }
  }

  private Process startWorker(ChaosCluster cluster) throws Exception {
    String endpoints = String.join(",", cluster.endpoints().stream().map(e -> e.host() + ":" + e.port()).toList());
    ProcessBuilder builder = new ProcessBuilder(ChaosCluster.REPO.resolve("bin/rrnode").toString(),
        "--worker-only", "--id", "w1", "--cluster-endpoints", endpoints,
        "--data-dir", dir.resolve("w1").toString(), "--http-port", Integer.toString(TestPorts.freeBlock(1)),
        "--heartbeat-ms", "1000", "--worker-lease-ms", Long.toString(WORKER_LEASE_MS),
        "--work-command", "tournament=sleep 120")
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("w1.log").toFile()));
    builder.environment().put("RRNODE_JAVA_OPTS", "-Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1");
    return builder.start();
  }
}
