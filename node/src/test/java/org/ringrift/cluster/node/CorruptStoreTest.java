package org.ringrift.cluster.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ringrift.cluster.client.ClusterClient;
import org.ringrift.cluster.proto.EnqueueBatchRequest;
import org.ringrift.cluster.proto.EnqueueRequest;
import org.ringrift.cluster.proto.WorkType;
import org.ringrift.cluster.raft.Member;
import org.ringrift.cluster.raft.RaftSettings;

/**
 * A node whose state store was corrupted while it was down refuses to start (rrnode exits 3 with
 * the rejoin procedure in its log), and the documented procedure brings it back: remove, wipe,
 * --join, add; it ends with the same state as the others.
 */
class CorruptStoreTest {
  @TempDir Path dir;

  @Test
  void aNodeWithACorruptStoreRefusesToServeAndRejoinsFromTheLeader() throws Exception {
    try (LocalCluster cluster = new LocalCluster(dir, 3, RaftSettings.defaults(), LocalCluster.quiet())) {
      ClusterClient client = cluster.client();
      await().atMost(Duration.ofSeconds(30)).until(() -> cluster.readyLeader().isPresent());
      for (int batch = 0; batch < 10; batch++) {
        EnqueueBatchRequest.Builder items = EnqueueBatchRequest.newBuilder();
        for (int i = 0; i < 50; i++) {
          items.addItems(EnqueueRequest.newBuilder().setType(WorkType.WORK_TYPE_SELFPLAY).setPriority(i)
              .setPayload(com.google.protobuf.ByteString.copyFromUtf8("payload ".repeat(40))));
        }
        client.enqueueBatch(items.build());
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> LocalCluster.digestsAgree(client, cluster.endpoints()));

      int victim = cluster.readyLeader().orElseThrow() == 1 ? 2 : 1;
      NodeConfig config = cluster.config(victim);
      cluster.stop(victim); // closing flushes the store: its content is in table files now
      corruptLargestTable(config.dataDir().resolve("state/live"));

      int code = NodeMain.commandLine(new NodeMain(), args(config), Map.of()).execute(args(config));
      assertThat(code).as("rrnode's exit code with a corrupt store").isEqualTo(NodeMain.EXIT_CORRUPT_STORE);

      // docs/OPERATIONS.md: remove, wipe, start with --join, add.
      client.removeMember(config.nodeId());
      deleteRecursively(config.dataDir());
      cluster.startJoining(victim);
      client.addMember(config.nodeId(), config.self().address(), false);
      await().atMost(Duration.ofSeconds(60)).until(() -> LocalCluster.digestsAgree(client, cluster.endpoints()));
      assertThat(client.members()).hasSize(3);
    }
  }

  private static String[] args(NodeConfig config) {
    String peers = String.join(",", config.cluster().members().stream()
        .map(m -> m.id() + "=" + m.address()).toList());
    return new String[] {"--id", config.nodeId(), "--peers", peers, "--cluster", config.cluster().clusterId(),
        "--data-dir", config.dataDir().toString(), "--admin-port", Integer.toString(config.adminPort()),
        "--http-port", Integer.toString(config.httpPort())};
  }

  private static void corruptLargestTable(Path store) throws IOException {
    Path table;
    try (Stream<Path> files = Files.list(store)) {
      table = files.filter(f -> f.toString().endsWith(".sst"))
          .max(Comparator.comparingLong(f -> f.toFile().length())).orElseThrow();
    }
    try (RandomAccessFile raf = new RandomAccessFile(table.toFile(), "rw")) {
      raf.seek(raf.length() / 3);
      byte[] junk = new byte[64];
      java.util.Arrays.fill(junk, (byte) 0x5a);
      raf.write(junk);
    }
  }

  private static void deleteRecursively(Path root) throws IOException {
    List<Path> all = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(root)) {
      walk.forEach(all::add);
    }
    all.sort(Comparator.reverseOrder());
    for (Path p : all) {
      Files.delete(p);
    }
  }
}
