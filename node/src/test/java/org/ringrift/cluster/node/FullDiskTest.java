package org.ringrift.cluster.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ringrift.cluster.client.ClusterClient;
import org.ringrift.cluster.client.ClusterException;
import org.ringrift.cluster.contract.errors.ErrorKind;
import org.ringrift.cluster.node.guard.DiskGuard;
import org.ringrift.cluster.node.guard.EdgeLimits;
import org.ringrift.cluster.proto.Alert;
import org.ringrift.cluster.proto.EnqueueRequest;
import org.ringrift.cluster.proto.WorkType;
import org.ringrift.cluster.raft.RaftSettings;

/**
 * A node whose data disk runs out of space: its data dir is a 256 MiB tmpfs (needs root and mount
 * rights; skipped where it cannot mount) that another writer fills past the reserve. The node
 * refuses writes with RESOURCE_EXHAUSTED, reports not ready with the reason and fires disk_full;
 * the cluster goes on; once space is back the node accepts writes again, reopens its store
 * (checksums verified) and holds exactly the others' state.
 */
class FullDiskTest {
  // Room for RocksDB's and Ratis' preallocations (a WAL file is preallocated at about 70 MB), which
  // take real space on tmpfs and come and go while the node runs.
  private static final long RESERVE = 96L << 20;
  private static final EnqueueRequest ITEM = EnqueueRequest.newBuilder().setType(WorkType.WORK_TYPE_SELFPLAY)
      .setPriority(10).build();

  @TempDir Path dir;

  @Test
  void aNodeOnAFullDiskRefusesWritesSaysWhyAndRecoversWithNothingCorrupted() throws Exception {
    int victim = 2;
    Path victimDir = dir.resolve("n3");
    Files.createDirectories(victimDir);
    Assumptions.assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=256m", "tmpfs", victimDir.toString()) == 0,
        "cannot mount a tmpfs here (needs root)");
    try (LocalCluster cluster = new LocalCluster(dir, 3, RaftSettings.defaults(), LocalCluster.quiet(),
        EdgeLimits.defaults().withDataDiskReserve(RESERVE))) {
      ClusterClient client = cluster.client();
      await().atMost(Duration.ofSeconds(30)).until(() -> cluster.readyLeader().isPresent());
      if (cluster.readyLeader().get() == victim) {
        client.transferLeader("n1");
        await().atMost(Duration.ofSeconds(30)).until(() -> cluster.readyLeader().filter(l -> l != victim).isPresent());
      }
      for (int i = 0; i < 20; i++) {
        client.enqueue(ITEM);
      }
      ClusterClient atVictim = ClusterClient.pinnedTo(cluster.endpoint(victim), Duration.ofSeconds(10));
      try {
        Path filler = victimDir.resolve("filler");
        fill(filler, Files.getFileStore(victimDir).getUsableSpace() - RESERVE / 2);

        await().atMost(Duration.ofSeconds(10)).until(() -> http(cluster, victim, "/health/ready").statusCode() == 503);
        assertThat(http(cluster, victim, "/health/ready").body()).contains("disk full").contains("reserve");
        Alert alert = atVictim.statusOf(cluster.endpoint(victim)).getAlertsList().stream()
            .filter(a -> a.getName().equals(DiskGuard.ALERT)).findFirst().orElseThrow();
        assertThat(alert.getFiring()).isTrue();
        assertThat(alert.getDetail()).contains("bytes free, under the reserve of " + RESERVE);
        assertThat(http(cluster, victim, "/metrics").body()).contains("ringrift_data_disk_full 1.0");
        assertThatThrownBy(() -> atVictim.enqueue(ITEM)).isInstanceOfSatisfying(ClusterException.class, e -> {
          assertThat(e.kind()).isEqualTo(ErrorKind.BACKPRESSURE);
          assertThat(e.getMessage()).contains("disk full").contains("--data-disk-reserve-mb");
        });

        // The others go on; the victim, a follower, still applies what the majority commits.
        for (int i = 0; i < 20; i++) {
          client.enqueue(ITEM);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> LocalCluster.digestsAgree(client, cluster.endpoints()));

        Files.delete(filler);
        await().atMost(Duration.ofSeconds(10)).until(() -> http(cluster, victim, "/health/ready").statusCode() == 200);
        assertThat(atVictim.enqueue(ITEM).getCreated()).isTrue();
      } finally {
        atVictim.close();
      }

      cluster.stop(victim);
      cluster.start(victim); // reopening verifies every table file's checksums
      await().atMost(Duration.ofSeconds(30)).until(() -> LocalCluster.digestsAgree(client, cluster.endpoints()));
      assertThat(client.queueStats().getPending()).isEqualTo(41);
    } finally {
      run("umount", "-l", victimDir.toString());
    }
  }

  private static void fill(Path filler, long bytes) throws IOException {
    byte[] block = new byte[1 << 20];
    try (OutputStream out = Files.newOutputStream(filler)) {
      for (long written = 0; written < bytes; written += block.length) {
        out.write(block, 0, (int) Math.min(block.length, bytes - written));
      }
    }
  }

  private static HttpResponse<String> http(LocalCluster cluster, int node, String path) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
        + cluster.httpPort(node) + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private static int run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getInputStream().readAllBytes();
    return process.waitFor();
  }
}
