package org.ringrift.cluster.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.ringrift.cluster.client.ClusterClient;
import org.ringrift.cluster.contract.names.ConfigKeys;
import org.ringrift.cluster.daemons.sync.ChunkSource;
import org.ringrift.cluster.daemons.sync.DatasetSpec;
import org.ringrift.cluster.daemons.sync.SyncSettings;
import org.ringrift.cluster.proto.Event;
import org.ringrift.cluster.proto.FileChunk;
import org.ringrift.cluster.proto.NodeHealth;
import org.ringrift.cluster.proto.SyncHistoryRequest;
import org.ringrift.cluster.proto.SyncRecord;
import org.ringrift.cluster.proto.SyncStatus;
import org.ringrift.cluster.raft.RaftSettings;

/**
 * Data sync on a real 3-node cluster: real files in per-node data dirs, real manifests on
 * heartbeats, the leader's planner, and executors pulling over the peer gRPC service.
 * n1 is a CPU node; n2 and n3 have capability gpu, so by default models go to n2 and n3.
 */
class SyncClusterTest {
  private static final Duration CONVERGE = Duration.ofSeconds(60);
  private static final String DATASET = "models=model:models";

  @TempDir Path dir;

  private static DaemonSettings daemons(int i) {
    DaemonSettings fast = DaemonSettings.fast();
    return new DaemonSettings(fast.heartbeatInterval(), fast.leaderTickInterval(), Duration.ofMillis(500),
        fast.retentionInterval(), fast.desiredStatePollInterval(), List.of("voter"),
        i == 0 ? List.of("cpu") : List.of("gpu"), false, Map.of(), 2, fast.workerLease());
  }

  private SyncSettings sync(int i, long reserve) {
    return new SyncSettings(dir.resolve("n" + (i + 1)), List.of(DatasetSpec.parse(DATASET)), 100, Duration.ZERO,
        Integer.getInteger("sync.chunkKb", 64) * 1024, Duration.ofMillis(200), Duration.ofMillis(300), reserve, 3);
  }

  private LocalCluster cluster(java.util.function.IntFunction<SyncSettings> sync,
      java.util.function.IntFunction<UnaryOperator<ChunkSource>> edge) throws Exception {
    LocalCluster cluster = new LocalCluster(dir, 3, RaftSettings.defaults(), SyncClusterTest::daemons, sync, edge);
    ClusterClient client = cluster.client();
    await().atMost(CONVERGE).until(() -> cluster.readyLeader().isPresent());
    await().atMost(CONVERGE).until(() -> client.listNodes().stream()
        .filter(n -> n.getHealth() == NodeHealth.NODE_HEALTH_ALIVE).count() == 3);
    return cluster;
  }

  /** Writes a file the way producers should: to a hidden temp name, then renamed into place. */
  private static byte[] write(LocalCluster cluster, int node, String name, int bytes, long seed, long mtimeMs)
      throws IOException {
    byte[] data = new byte[bytes];
    new Random(seed).nextBytes(data);
    Path target = cluster.dataDir(node).resolve("models").resolve(name);
    Files.createDirectories(target.getParent());
    Path temp = target.resolveSibling(".writing-" + name);
    Files.write(temp, data);
    Files.setLastModifiedTime(temp, FileTime.fromMillis(mtimeMs));
    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    return data;
  }

  private static String sha(byte[] data) throws Exception {
    return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(data));
  }

  private static String shaOf(Path file) throws Exception {
    return Files.exists(file) ? sha(Files.readAllBytes(file)) : "";
  }

  private static List<SyncRecord> history(ClusterClient client) {
    return client.syncHistory(SyncHistoryRequest.newBuilder().setLimit(1000).build());
  }

  private static Optional<SyncRecord> record(ClusterClient client, String target, SyncStatus status) {
    return history(client).stream().filter(r -> r.getTargetNode().equals(target) && r.getStatus() == status).findFirst();
  }

  @Test
  void aFileWrittenOnOneNodeReachesThePolicysNodesWithEqualHashes() throws Exception {
    try (LocalCluster cluster = cluster(i -> sync(i, 0), i -> UnaryOperator.identity())) {
      ClusterClient client = cluster.client();
      String expected = sha(write(cluster, 0, "m1.pt", 1 << 20, 1, System.currentTimeMillis() - 1000));

      for (int i : new int[] {1, 2}) {
        Path copy = cluster.dataDir(i).resolve("models/m1.pt");
        await().atMost(CONVERGE).until(() -> shaOf(copy).equals(expected));
        await().atMost(CONVERGE).until(() -> record(client, "n" + (i + 1), SyncStatus.SYNC_STATUS_DONE).isPresent());
        SyncRecord done = record(client, "n" + (i + 1), SyncStatus.SYNC_STATUS_DONE).orElseThrow();
        assertThat(done.getSha256()).isEqualTo(expected);
        assertThat(done.getBytesDone()).isEqualTo(1 << 20);
        assertThat(done.getMethod()).startsWith("grpc-pull");
      }
      // n1 is no GPU node: the policy sends it no models, so nothing was planned for it.
      String onN3 = sha(write(cluster, 2, "m2.pt", 4096, 2, System.currentTimeMillis() - 1000));
      await().atMost(CONVERGE).until(() -> shaOf(cluster.dataDir(1).resolve("models/m2.pt")).equals(onN3));
      assertThat(history(client)).noneMatch(r -> r.getTargetNode().equals("n1"));
      assertThat(cluster.dataDir(0).resolve("models/m2.pt")).doesNotExist();
      assertThat(client.recentEvents(org.ringrift.cluster.proto.RecentEventsRequest.newBuilder()
          .setType("DATA_SYNC_COMPLETED").build())).hasSizeGreaterThanOrEqualTo(3);
    }
  }

  @Test
  void aTransferCutHalfwayBySourceStopResumesFromAnotherSourceAndCompletes() throws Exception {
    try (LocalCluster cluster = cluster(i -> sync(i, 0), i -> UnaryOperator.identity())) {
      ClusterClient client = cluster.client();
      client.setConfig(ConfigKeys.syncRouteKey("model"), "node:n2");
      client.setConfig(ConfigKeys.SYNC_PER_HOST_BYTES_PER_S, Long.toString(2L << 20));
      long mtime = System.currentTimeMillis() - 1000;
      byte[] data = write(cluster, 0, "big.pt", 12 << 20, 3, mtime);
      write(cluster, 2, "big.pt", 12 << 20, 3, mtime);
      String expected = sha(data);

      await().atMost(CONVERGE).until(() -> record(client, "n2", SyncStatus.SYNC_STATUS_RUNNING)
          .filter(r -> r.getBytesDone() > (3 << 20)).isPresent());
      SyncRecord cut = record(client, "n2", SyncStatus.SYNC_STATUS_RUNNING).orElseThrow();
      int source = Integer.parseInt(cut.getSourceNode().substring(1)) - 1;
      cluster.stop(source);

      Path copy = cluster.dataDir(1).resolve("models/big.pt");
      await().atMost(CONVERGE).until(() -> record(client, "n2", SyncStatus.SYNC_STATUS_DONE).isPresent());
      SyncRecord done = record(client, "n2", SyncStatus.SYNC_STATUS_DONE).orElseThrow();
      assertThat(shaOf(copy)).isEqualTo(expected);
      assertThat(done.getSourceNode()).isNotEqualTo(cut.getSourceNode());
      assertThat(done.getMethod()).startsWith("grpc-pull+resume@");
      long resumedFrom = Long.parseLong(done.getMethod().substring("grpc-pull+resume@".length()));
      assertThat(resumedFrom).isGreaterThanOrEqualTo(cut.getBytesDone());
      assertThat(history(client)).anyMatch(r -> r.getSyncId().equals(cut.getSyncId())
          && r.getStatus() == SyncStatus.SYNC_STATUS_FAILED);
    }
  }

  @Test
  void aCorruptedChunkIsDetectedAndRetried() throws Exception {
    AtomicInteger corrupted = new AtomicInteger();
    UnaryOperator<ChunkSource> flipThirdChunkOnce = source -> (endpoint, request) -> {
      ChunkSource.Stream stream = source.open(endpoint, request);
      AtomicInteger n = new AtomicInteger();
      return new ChunkSource.Stream() {
        @Override
        public boolean hasNext() {
          return stream.hasNext();
        }

        @Override
        public FileChunk next() {
          FileChunk chunk = stream.next();
          if (n.incrementAndGet() == 3 && corrupted.compareAndSet(0, 1)) {
            byte[] bytes = chunk.getData().toByteArray();
            bytes[7] ^= 0x5a;
            return chunk.toBuilder().setData(ByteString.copyFrom(bytes)).build();
          }
          return chunk;
        }

        @Override
        public void close() {
          stream.close();
        }
      };
    };
    try (LocalCluster cluster = cluster(i -> sync(i, 0), i -> i == 1 ? flipThirdChunkOnce : UnaryOperator.identity())) {
      ClusterClient client = cluster.client();
      client.setConfig(ConfigKeys.syncRouteKey("model"), "node:n2");
      String expected = sha(write(cluster, 0, "c.pt", 1 << 20, 4, System.currentTimeMillis() - 1000));

      await().atMost(CONVERGE).until(() -> record(client, "n2", SyncStatus.SYNC_STATUS_DONE).isPresent());
      assertThat(corrupted.get()).isEqualTo(1);
      assertThat(shaOf(cluster.dataDir(1).resolve("models/c.pt"))).isEqualTo(expected);
      assertThat(history(client)).noneMatch(r -> r.getStatus() == SyncStatus.SYNC_STATUS_FAILED);
    }
  }

  /**
   * A really full disk: n2's dataset directory is a 1.5 MiB tmpfs (needs root and mount rights, so
   * the test is skipped where it cannot mount) holding an old version. The new 1 MiB version fits
   * when its transfer starts (the executor checks free space first); then another writer fills the
   * disk, and the transfer's own write meets ENOSPC.
   */
  @Test
  void aWriteThatRunsOutOfSpaceFailsCleanlyAndKeepsTheOldFile() throws Exception {
    Path models = dir.resolve("n2").resolve("models");
    Files.createDirectories(models);
    Assumptions.assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=1536k", "tmpfs", models.toString()) == 0,
        "cannot mount a tmpfs here (needs root)");
    try (LocalCluster cluster = cluster(i -> sync(i, 0), i -> UnaryOperator.identity())) {
      ClusterClient client = cluster.client();
      client.setConfig(ConfigKeys.syncRouteKey("model"), "node:n2");
      client.setConfig(ConfigKeys.SYNC_MAX_ATTEMPTS, "1");
      // Slow enough (about 4 s) that the disk can be filled while the transfer runs.
      client.setConfig(ConfigKeys.SYNC_PER_HOST_BYTES_PER_S, Long.toString(256 << 10));
      long now = System.currentTimeMillis();
      String old = sha(write(cluster, 1, "e.pt", 8192, 7, now - 60_000));
      write(cluster, 0, "e.pt", 1 << 20, 8, now - 1000);

      await().atMost(CONVERGE).until(() -> partFileIn(models));
      fill(models.resolve(".filler"));

      await().atMost(CONVERGE).until(() -> record(client, "n2", SyncStatus.SYNC_STATUS_FAILED).isPresent());
      SyncRecord failed = record(client, "n2", SyncStatus.SYNC_STATUS_FAILED).orElseThrow();
      assertThat(failed.getError()).contains("No space left on device");
      assertThat(shaOf(cluster.dataDir(1).resolve("models/e.pt"))).isEqualTo(old);
    } finally {
      run("umount", "-l", models.toString());
    }
  }

  private static boolean partFileIn(Path directory) throws IOException {
    try (var files = Files.list(directory)) {
      return files.anyMatch(f -> f.getFileName().toString().endsWith(".part"));
    }
  }

  /** Writes until the file system says no more. */
  private static void fill(Path filler) throws IOException {
    byte[] block = new byte[64 << 10];
    try (var out = Files.newOutputStream(filler)) {
      while (true) {
        out.write(block);
        out.flush();
      }
    } catch (IOException full) {
      assertThat(full.getMessage()).contains("No space left on device");
    }
  }

  private static int run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getInputStream().readAllBytes();
    return process.waitFor();
  }

  /**
   * The disk reserve: n2 must keep more free space than the disk has, so the transfer is refused
   * before a byte is written.
   */
  @Test
  void aFullTargetDiskGivesAFailedRecordWithAClearErrorAndKeepsTheOldFile() throws Exception {
    try (LocalCluster cluster = cluster(i -> sync(i, i == 1 ? Long.MAX_VALUE / 4 : 0), i -> UnaryOperator.identity())) {
      ClusterClient client = cluster.client();
      client.setConfig(ConfigKeys.syncRouteKey("model"), "node:n2");
      client.setConfig(ConfigKeys.SYNC_MAX_ATTEMPTS, "1");
      long now = System.currentTimeMillis();
      String old = sha(write(cluster, 1, "d.pt", 8192, 5, now - 60_000));
      write(cluster, 0, "d.pt", 1 << 20, 6, now - 1000);

      await().atMost(CONVERGE).until(() -> record(client, "n2", SyncStatus.SYNC_STATUS_FAILED).isPresent());
      SyncRecord failed = record(client, "n2", SyncStatus.SYNC_STATUS_FAILED).orElseThrow();
      assertThat(failed.getError()).contains("not enough disk for d.pt").contains("reserve");
      assertThat(shaOf(cluster.dataDir(1).resolve("models/d.pt"))).isEqualTo(old);
    }
  }

  @Test
  void theBandwidthCapHoldsWithinTenPercent() throws Exception {
    int megabytes = Integer.getInteger("sync.capTestMb", 20);
    long cap = Long.getLong("sync.capBytesPerS", 4L << 20);
    assertCapHolds(megabytes, cap);
  }

  /** The issue's long version: at least 200 MB. Run with -Dsync.bigCapTest=true. */
  @Test
  @EnabledIfSystemProperty(named = "sync.bigCapTest", matches = "true")
  void theBandwidthCapHoldsOver200Megabytes() throws Exception {
    assertCapHolds(200, 20L << 20);
  }

  /**
   * One uncapped transfer on loopback, for the closing note (compare with cp of the same file on
   * the same disk). Run with -Dsync.measure=true [-Dsync.measureMb=500].
   */
  @Test
  @EnabledIfSystemProperty(named = "sync.measure", matches = "true")
  void uncappedLoopbackThroughputIsMeasured() throws Exception {
    int megabytes = Integer.getInteger("sync.measureMb", 500);
    try (LocalCluster cluster = cluster(i -> sync(i, 0), i -> UnaryOperator.identity())) {
      ClusterClient client = cluster.client();
      client.setConfig(ConfigKeys.syncRouteKey("model"), "node:n2");
      client.setConfig(ConfigKeys.SYNC_PER_HOST_BYTES_PER_S, Long.toString(100L << 30));
      client.setConfig(ConfigKeys.SYNC_TOTAL_BYTES_PER_S, Long.toString(100L << 30));
      write(cluster, 0, "fast.bin", megabytes << 20, 9, System.currentTimeMillis() - 1000);

      await().atMost(Duration.ofMinutes(10)).until(() -> record(client, "n2", SyncStatus.SYNC_STATUS_DONE).isPresent());
      SyncRecord done = record(client, "n2", SyncStatus.SYNC_STATUS_DONE).orElseThrow();
      double seconds = (done.getFinishedMs() - done.getStartedMs()) / 1000.0;
      System.out.printf("sync uncapped: %d MB in %.2f s = %.1f MB/s (file %s)%n", megabytes, seconds,
          megabytes / seconds, cluster.dataDir(0).resolve("models/fast.bin"));
    }
  }

  private void assertCapHolds(int megabytes, long cap) throws Exception {
    try (LocalCluster cluster = cluster(i -> sync(i, 0), i -> UnaryOperator.identity())) {
      ClusterClient client = cluster.client();
      client.setConfig(ConfigKeys.syncRouteKey("model"), "node:n2");
      client.setConfig(ConfigKeys.SYNC_PER_HOST_BYTES_PER_S, Long.toString(cap));
      client.setConfig(ConfigKeys.SYNC_STALL_MS, "600000");
      write(cluster, 0, "cap.bin", megabytes << 20, 7, System.currentTimeMillis() - 1000);

      await().atMost(Duration.ofSeconds(30L + 2L * (megabytes << 20) / cap))
          .until(() -> record(client, "n2", SyncStatus.SYNC_STATUS_DONE).isPresent());
      SyncRecord done = record(client, "n2", SyncStatus.SYNC_STATUS_DONE).orElseThrow();
      double seconds = (done.getFinishedMs() - done.getStartedMs()) / 1000.0;
      double rate = done.getSizeBytes() / seconds;
      System.out.printf("sync cap test: %d MB in %.2f s = %.2f MB/s, cap %.2f MB/s (%.1f %%)%n", megabytes, seconds,
          rate / (1 << 20), cap / (double) (1 << 20), 100.0 * rate / cap);
      assertThat(rate).isBetween(0.9 * cap, 1.1 * cap);
    }
  }

  @Test
  void aTriggerSendsADatasetWhereThePolicyDoesNotAndBadTriggersGetClearErrors() throws Exception {
    try (LocalCluster cluster = cluster(i -> sync(i, 0), i -> UnaryOperator.identity())) {
      ClusterClient client = cluster.client();
      client.setConfig(ConfigKeys.syncRouteKey("model"), "none");
      String expected = sha(write(cluster, 1, "t.pt", 64 * 1024, 8, System.currentTimeMillis() - 1000));
      await().atMost(CONVERGE).until(() -> client.listNodes().stream().anyMatch(n -> n.getNodeId().equals("n2")
          && n.getDatasetsList().stream().anyMatch(d -> d.getFilesCount() == 1)));

      assertThatThrownBy(() -> client.syncTrigger("nosuch", "")).hasMessageContaining("dataset");
      assertThatThrownBy(() -> client.syncTrigger("models", "n9")).hasMessageContaining("target_node");
      Event trigger = client.syncTrigger("models", "n1");

      assertThat(trigger.getType()).isEqualTo("SYNC_TRIGGERED");
      await().atMost(CONVERGE).until(() -> shaOf(cluster.dataDir(0).resolve("models/t.pt")).equals(expected));
      assertThat(cluster.dataDir(2).resolve("models/t.pt")).doesNotExist();
    }
  }
}
