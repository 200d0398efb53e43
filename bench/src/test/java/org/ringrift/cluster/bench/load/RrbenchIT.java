package org.ringrift.cluster.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

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
  /** Short settling warm-ups: this test checks the shape of the report, not a warm JVM. */
  private static final String WARMUP_MAX = "1s";
  private static final String WARMUP_WINDOW = "250ms";

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
    // Counted from the final state: each write's payload is unique and it has no idempotency key of its own.
    assertThat(failover.get("applied_twice").asLong()).isZero();
    assertThat(kill.get("applied_twice").asLong()).isZero();
    assertThat(failover.get("outcome_unknown").asLong()).isGreaterThanOrEqualTo(kill.get("outcome_unknown").asLong())
        .isNotNegative();
  }

  /** compare --baseline no-sessions: one RingRift cluster, through clients with and without sessions, alternating. */
  @Test
  void compareAgainstClientsWithoutSessionsDrivesOneClusterBothWays() throws Exception {
    JsonNode result = rrbench("compare", "--baseline", "no-sessions", "--workload", "claim-complete", "--clients", "2",
        "--ops", "20", "--warmup", "2", "--warmup-max", WARMUP_MAX, "--warmup-window", WARMUP_WINDOW, "--runs", "2",
        "--output", "json", "--dir", dir.toString()).get("comparisons").get(0);

    assertThat(result.get("ringrift").get("target").asText()).isEqualTo("ringrift");
    assertThat(result.get("ringrift-no-sessions").get("target").asText()).isEqualTo("ringrift-no-sessions");
    for (String side : List.of("ringrift", "ringrift-no-sessions")) {
      assertThat(result.get(side).get("errors").asLong()).isZero();
      assertThat(result.get(side + "_runs")).hasSize(2);
      assertWarmedUp(result.get(side + "_warmup"));
      assertProcessUsage(result.get(side), "n", true);
    }
    assertThat(result.get("throughput_ratio").asDouble()).isPositive();
    assertThat(dir).isEmptyDirectory();
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
    JsonNode results = rrbench(command, "--workload", String.join(",", WORKLOADS), "--clients", "2", "--ops", "20",
        "--warmup", "2", "--warmup-max", WARMUP_MAX, "--warmup-window", WARMUP_WINDOW, "--runs", "2", "--output", "json",
        "--dir", dir.toString()).get(etcd ? "comparisons" : "results");

    assertThat(results).hasSize(WORKLOADS.size());
    for (int i = 0; i < WORKLOADS.size(); i++) {
      List<JsonNode> medians = etcd ? List.of(results.get(i).get("ringrift"), results.get(i).get("etcd"))
          : List.of(results.get(i).get("median"));
      for (JsonNode median : medians) {
        assertThat(median.get("workload").asText()).isEqualTo(WORKLOADS.get(i));
        assertThat(median.get("clients").asInt()).isEqualTo(2);
        assertThat(median.get("ops").asLong()).isEqualTo(20);
        assertThat(median.get("errors").asLong()).isZero();
        assertThat(median.get("throughput_ops_s").asDouble()).isPositive();
        assertThat(median.get("latency_ms").get("p50").asDouble()).isPositive()
            .isLessThanOrEqualTo(median.get("latency_ms").get("max").asDouble());
      }
      assertThat(medians.get(0).get("target").asText()).isEqualTo("ringrift");
      assertProcessUsage(medians.get(0), "n", true);
      assertThat(results.get(i).get(etcd ? "ringrift_runs" : "runs")).hasSize(2);
      assertWarmedUp(results.get(i).get(etcd ? "ringrift_warmup" : "warmup"));
      if (etcd) {
        assertThat(results.get(i).get("throughput_ratio").asDouble()).isPositive();
        assertProcessUsage(medians.get(1), "e", false);
        assertWarmedUp(results.get(i).get("etcd_warmup"));
      }
    }
    assertThat(dir).isEmptyDirectory();
  }

  /** run's own shape (compare above covers the workloads where etcd is installed). */
  @Test
  void runWarmsUpThenReportsCpuAndContextSwitchesPerOperation() throws Exception {
    JsonNode result = rrbench("run", "--workload", "enqueue", "--clients", "2", "--ops", "20", "--warmup", "2",
        "--warmup-max", WARMUP_MAX, "--warmup-window", WARMUP_WINDOW, "--runs", "1", "--output", "json",
        "--dir", dir.toString()).get("results").get(0);

    assertThat(result.get("workload").asText()).isEqualTo("enqueue");
    assertWarmedUp(result.get("warmup"));
    assertProcessUsage(result.get("median"), "n", true);
    assertThat(dir).isEmptyDirectory();
  }

  private static void assertWarmedUp(JsonNode warmup) {
    assertThat(warmup.get("warmup_ms").asLong()).isNotNegative();
    assertThat(warmup.get("warmup_settled").isBoolean()).isTrue();
    assertThat(warmup.get("warmup_outcome").asText()).isIn("settled", "max_reached");
    assertThat(warmup.get("warmup_windows")).isNotEmpty().allSatisfy(w -> assertThat(w.asDouble()).isNotNegative());
    assertThat(warmup.get("warmup_cpu_ms_per_op")).hasSameSizeAs(warmup.get("warmup_windows"));
    assertThat(warmup.get("warmup_jit_cpu_pct")).hasSameSizeAs(warmup.get("warmup_windows"));
  }

  /** RingRift's JVMs always burn CPU for 20 operations; 20 etcd puts can stay under one 10 ms clock tick. */
  private static void assertProcessUsage(JsonNode run, String idPrefix, boolean cpuPositive) {
    double cpu = run.get("cpu_ms_per_op").asDouble();
    assertThat(run.get("cpu_ms_per_op").isNumber()).as("cpu_ms_per_op of %s", run).isTrue();
    if (cpuPositive) {
      assertThat(cpu).as("cpu_ms_per_op of %s", run).isPositive();
    } else {
      assertThat(cpu).as("cpu_ms_per_op of %s", run).isNotNegative();
    }
    assertThat(run.get("context_switches_per_op").asDouble()).as("context_switches_per_op of %s", run).isPositive();
    assertThat(run.get("client_cpu_ms_per_op").isNumber()).isTrue();
    assertThat(run.has("jit_cpu_pct")).isTrue();
    JsonNode nodes = run.get("nodes");
    assertThat(nodes).hasSize(3);
    double sum = 0;
    for (JsonNode node : nodes) {
      assertThat(node.get("id").asText()).startsWith(idPrefix);
      assertThat(node.get("cpu_ms").asDouble()).isNotNegative();
      assertThat(node.get("context_switches").asLong()).isNotNegative();
      sum += node.get("cpu_ms").asDouble();
    }
    assertThat(sum / run.get("ops").asLong()).isCloseTo(cpu, offset(0.01));
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

    assertThat(command.execute("compare", "--baseline", "zookeeper", "--dir", dir.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("--baseline: must be etcd or no-sessions");
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
