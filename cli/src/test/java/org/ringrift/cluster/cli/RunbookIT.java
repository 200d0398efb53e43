package org.ringrift.cluster.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.ringrift.cluster.client.ClusterClient;
import org.ringrift.cluster.proto.NodeStatus;

/**
 * Runs every {@code sh runnable} block of docs/RUNBOOK.md, in order, with bash against a real
 * three-node cluster of bin/rrnode processes, with bin/ on PATH, and checks its exit code: the
 * runbook cannot drift from the code. Each block gets the runbook's conventions: RRCTL_ENDPOINT,
 * RR_HTTP, NODE (a follower at the time the block starts) with its addresses and data directory,
 * and rrnode_stop / rrnode_start acting on the test's processes (kill -9, and bin/rrnode with the
 * node's own arguments and the caller's environment).
 */
class RunbookIT {
  private static final Duration CONVERGE = Duration.ofSeconds(60);
  private static final long BLOCK_TIMEOUT_S = 180;

  @TempDir static Path dir;
  private static ProcessCluster cluster;
  private static ClusterClient client;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = new ProcessCluster(dir, 3);
    client = new ClusterClient(cluster.endpoints(), Duration.ofSeconds(5));
    await().atMost(CONVERGE).ignoreExceptions().until(() -> !client.status().getLeaderId().isEmpty());
    Files.writeString(dir.resolve("prelude.sh"), PRELUDE);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (client != null) {
      client.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @TestFactory
  Stream<DynamicTest> everyRunnableBlockOfTheRunbook() throws IOException {
    List<RunbookBlocks.Block> blocks =
        RunbookBlocks.parse(Files.readString(ProcessCluster.REPO.resolve("docs/RUNBOOK.md")));
    assertThat(blocks).hasSizeGreaterThan(15);
    return blocks.stream().map(block -> DynamicTest.dynamicTest(block.name(), () -> run(block)));
  }

  private static void run(RunbookBlocks.Block block) throws Exception {
    int node = aFollower();
    Path script = dir.resolve("block-" + block.line() + ".sh");
    Files.writeString(script, "source " + dir.resolve("prelude.sh") + "\nset -euo pipefail\n" + block.script());
    ProcessBuilder builder = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true)
        .redirectOutput(dir.resolve("block-" + block.line() + ".out").toFile());
    Map<String, String> env = builder.environment();
    env.put("PATH", ProcessCluster.REPO.resolve("bin") + ":" + System.getenv("PATH"));
    env.put("RRCTL_ENDPOINT", cluster.endpointList());
    env.put("RR_HTTP", "127.0.0.1:" + cluster.httpPort(0));
    env.put("RR_TEST_DIR", dir.toString());
    env.put("NODE", cluster.id(node));
    env.put("NODE_ADMIN", cluster.endpoint(node).toString());
    env.put("NODE_RAFT", "127.0.0.1:" + cluster.raftPort(node));
    env.put("NODE_DATA", cluster.dataDir(node).toString());
    Process process = builder.start();
    process.getOutputStream().close();
    boolean finished = process.waitFor(BLOCK_TIMEOUT_S, TimeUnit.SECONDS);
    if (!finished) {
      process.destroyForcibly();
    }
    String output = Files.readString(dir.resolve("block-" + block.line() + ".out"), StandardCharsets.UTF_8);
    assertThat(finished).as("%s did not finish within %d s:%n%s", block.name(), BLOCK_TIMEOUT_S, output).isTrue();
    assertThat(process.exitValue()).as("exit code of %s (NODE=%s):%n%s%n--- output ---%n%s", block.name(),
        cluster.id(node), block.script(), output).isEqualTo(block.expectedExit());
  }

  /** A node that is up and not the leader, so procedures on NODE never start by deposing the leader. */
  private static int aFollower() {
    return await().atMost(CONVERGE).ignoreExceptions().until(() -> {
      String leader = client.status().getLeaderId();
      for (int i = 0; i < 3; i++) {
        NodeStatus status = client.statusOf(cluster.endpoint(i));
        if (!leader.isEmpty() && !status.getNodeId().equals(leader)) {
          return i;
        }
      }
      return -1;
    }, i -> i >= 0);
  }

  /** rrnode_stop / rrnode_start for the test's processes (a systemd host uses systemctl, see the runbook). */
  private static final String PRELUDE = """
      rrnode_stop() {
        local pid
        pid=$(cat "$RR_TEST_DIR/$1.pid")
        kill -9 "$pid" 2>/dev/null || true
        for _ in $(seq 1 300); do
          if ! kill -0 "$pid" 2>/dev/null || [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" = Z ]; then
            return 0
          fi
          sleep 0.1
        done
        echo "rrnode_stop: $1 (pid $pid) still running" >&2
        return 1
      }
      rrnode_start() {
        local id=$1 args
        mkdir -p "$RR_TEST_DIR/$id"
        mapfile -t args < "$RR_TEST_DIR/$id.args"
        nohup rrnode "${args[@]}" >> "$RR_TEST_DIR/$id/node.log" 2>&1 < /dev/null &
        echo $! > "$RR_TEST_DIR/$id.pid"
      }
      """;
}
