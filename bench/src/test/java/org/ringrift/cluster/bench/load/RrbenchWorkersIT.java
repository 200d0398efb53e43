package org.ringrift.cluster.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Smoke test of rrbench workers, so that it cannot rot: two small steps of a few seconds against
 * real bin/rrnode processes. It checks the shape of the report, not the speed of the cluster.
 */
class RrbenchWorkersIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void workersHeartbeatClaimAndCompleteInEveryStep() throws Exception {
    JsonNode report = rrbench("workers", "--workers", "6,3", "--duration", "3s", "--warmup", "1s", "--job-ms", "200",
        "--heartbeat-ms", "500", "--idle-ms", "100", "--connections", "4", "--backlog", "100", "--warmup-max", "2s",
        "--warmup-window", "500ms", "--output", "json",
        "--dir", dir.toString());

    JsonNode steps = report.get("steps");
    assertThat(steps).hasSize(2);
    assertThat(steps.get(0).get("workers").asInt()).isEqualTo(3);
    assertThat(steps.get(1).get("workers").asInt()).isEqualTo(6);
    for (JsonNode step : steps) {
      assertThat(step.get("claims").asLong()).isPositive();
      assertThat(step.get("completes").asLong()).isPositive();
      assertThat(step.get("heartbeats").asLong()).isPositive();
      for (String latency : List.of("claim_ms", "complete_ms", "heartbeat_ms")) {
        JsonNode ms = step.get(latency);
        assertThat(ms.get("p50").asDouble()).as(latency).isPositive().isLessThanOrEqualTo(ms.get("p99").asDouble());
        assertThat(ms.get("p99").asDouble()).as(latency).isLessThanOrEqualTo(ms.get("max").asDouble());
      }
      assertThat(step.get("leader").asText()).matches("n[123]");
      assertThat(step.get("leader_cpu_pct").asDouble()).isPositive();
      assertThat(step.get("follower_cpu_pct")).hasSize(2);
      assertThat(step.get("server_commit_ms_mean").asDouble()).isPositive();
      assertThat(step.get("log_entries_per_s").asDouble()).isPositive();
      assertThat(step.get("errors_by_call").get("outcome_unknown").isNumber()).isTrue();
      assertThat(step.get("cpu_ms_per_call").asDouble()).isPositive();
      assertThat(step.get("context_switches_per_call").asDouble()).isPositive();
      assertThat(step.get("nodes")).hasSize(3);
      assertThat(step.get("warmup_ms").asLong()).isNotNegative();
      assertThat(step.get("warmup_settled").isBoolean()).isTrue();
      assertThat(step.get("warmup_windows")).isNotEmpty();
    }
    assertThat(report.has("max_workers_p99_claim_under_100ms")).isTrue();
    assertThat(dir).isEmptyDirectory();
  }

  @Test
  void aFleetAboveTheLimitIsRefusedWithTheFieldAndLimit() {
    StringWriter err = new StringWriter();
    CommandLine command = Rrbench.commandLine();
    command.setErr(new PrintWriter(err));

    int code = command.execute("workers", "--workers", "100,5001", "--dir", dir.toString());

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("--workers: must be each 1..5000");
    assertThat(dir).isEmptyDirectory();
  }

  private static JsonNode rrbench(String... args) throws Exception {
    StringWriter out = new StringWriter();
    CommandLine command = Rrbench.commandLine();
    command.setOut(new PrintWriter(out));
    int code = command.execute(args);
    assertThat(code).as("rrbench %s; output: %s", List.of(args), out).isZero();
    return JSON.readTree(out.toString());
  }
}
