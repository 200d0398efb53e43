package org.ringrift.cluster.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Smoke test of rrbench, so that it cannot rot: each command, a few seconds each, against real
 * bin/rrnode processes (and real etcd processes where etcd is installed). Measures nothing.
 */
class RrbenchIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> WORKLOADS = List.of("enqueue", "claim-complete", "mixed", "read");

  @TempDir Path dir;

  @Test
  void failoverKillsTheLeaderAndLosesNoAcknowledgedWrite() throws Exception {
    JsonNode failover = rrbench("failover", "--kills", "1", "--writers", "2", "--settle-ms", "0", "--output", "json",
        "--dir", dir.toString()).get("failover").get(0);

    assertThat(failover.get("target").asText()).isEqualTo("ringrift");
    JsonNode kill = failover.get("kills").get(0);
    assertThat(kill.get("elected_ms").asLong()).isPositive();
    assertThat(kill.get("ready_ms").asLong()).isGreaterThanOrEqualTo(kill.get("elected_ms").asLong());
    assertThat(kill.get("daemons_ms").asLong()).isGreaterThanOrEqualTo(kill.get("ready_ms").asLong());
    assertThat(kill.get("first_write_ms").asLong()).isPositive();
    assertThat(failover.get("acknowledged_writes").asLong()).isPositive();
    assertThat(failover.get("lost_writes").asLong()).isZero();
  }

  /**
   * Every workload against a RingRift process cluster; where etcd is installed, through
   * {@code compare}, which runs the same workloads against etcd as well (one cluster start each
   * keeps this test short).
   */
  @Test
  void everyWorkloadRunsAgainstRingRiftAndEtcdWhereInstalled() throws Exception {
    boolean etcd = onPath("etcd");
    String command = etcd ? "compare" : "run";
    JsonNode results = rrbench(command, "--workload", String.join(",", WORKLOADS), "--clients", "2", "--ops", "10",
        "--warmup", "2", "--runs", "2", "--output", "json", "--dir", dir.toString()).get(etcd ? "comparisons" : "results");

    assertThat(results).hasSize(WORKLOADS.size());
    for (int i = 0; i < WORKLOADS.size(); i++) {
      List<JsonNode> medians = etcd ? List.of(results.get(i).get("ringrift"), results.get(i).get("etcd"))
          : List.of(results.get(i).get("median"));
      for (JsonNode median : medians) {
        assertThat(median.get("workload").asText()).isEqualTo(WORKLOADS.get(i));
        assertThat(median.get("clients").asInt()).isEqualTo(2);
        assertThat(median.get("ops").asLong()).isEqualTo(10);
        assertThat(median.get("errors").asLong()).isZero();
        assertThat(median.get("throughput_ops_s").asDouble()).isPositive();
        assertThat(median.get("latency_ms").get("p50").asDouble()).isPositive()
            .isLessThanOrEqualTo(median.get("latency_ms").get("max").asDouble());
      }
      assertThat(medians.get(0).get("target").asText()).isEqualTo("ringrift");
      assertThat(results.get(i).get(etcd ? "ringrift_runs" : "runs")).hasSize(2);
      if (etcd) {
        assertThat(results.get(i).get("throughput_ratio").asDouble()).isPositive();
      }
    }
    assertThat(dir).isEmptyDirectory();
  }

  @Test
  void fsyncProbeTimesAppendsOnTheGivenDisk() {
    StringWriter out = new StringWriter();
    CommandLine command = Rrbench.commandLine();
    command.setOut(new PrintWriter(out));

    int code = command.execute("fsync", "--count", "20", "--dir", dir.toString());

    assertThat(code).isZero();
    assertThat(out.toString()).contains("fdatasync, 20 times").contains("p50");
    assertThat(dir).isEmptyDirectory();
  }

  @Test
  void badInputIsRefusedWithTheFieldAndLimit() {
    StringWriter err = new StringWriter();
    CommandLine command = Rrbench.commandLine();
    command.setErr(new PrintWriter(err));

    int code = command.execute("run", "--clients", "0", "--dir", dir.toString());

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("--clients: must be each 1..1024");
  }

  private static JsonNode rrbench(String... args) throws Exception {
    StringWriter out = new StringWriter();
    CommandLine command = Rrbench.commandLine();
    command.setOut(new PrintWriter(out));
    int code = command.execute(args);
    assertThat(code).as("rrbench %s; output: %s", List.of(args), out).isZero();
    return JSON.readTree(out.toString());
  }

  private static boolean onPath(String binary) {
    List<Path> dirs = new ArrayList<>();
    for (String entry : System.getenv().getOrDefault("PATH", "").split(":")) {
      dirs.add(Path.of(entry));
    }
    try (Stream<Path> candidates = dirs.stream()) {
      return candidates.anyMatch(d -> Files.isExecutable(d.resolve(binary)));
    }
  }
}
