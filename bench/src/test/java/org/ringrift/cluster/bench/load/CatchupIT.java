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

/** Smoke test of rrbench catchup with small numbers against real bin/rrnode processes. Measures nothing. */
class CatchupIT {
  @TempDir Path dir;

  @Test
  void aFollowerCatchesUpByReplayAndBySnapshot() throws Exception {
    StringWriter out = new StringWriter();
    CommandLine command = Rrbench.commandLine();
    command.setOut(new PrintWriter(out));
    int code = command.execute("catchup", "--entries", "300", "--items", "2000", "--writers", "8", "--output", "json",
        // Small segments, so that this little log has closed segments the snapshot can purge.
        "--node-arg=--log-segment-bytes=16384", "--dir", dir.toString());
    assertThat(code).as("output: %s", out).isZero();

    JsonNode runs = new ObjectMapper().readTree(out.toString()).get("catchup");
    assertThat(runs).hasSize(3);
    assertThat(List.of(runs.get(0).get("mode").asText(), runs.get(1).get("mode").asText(), runs.get(2).get("mode").asText()))
        .containsExactly("log-replay", "snapshot-install", "snapshot-install-large-state");
    assertThat(runs.get(0).get("entries_behind").asLong()).isGreaterThanOrEqualTo(300);
    assertThat(runs.get(0).get("snapshot_installed").asBoolean()).isFalse();
    assertThat(runs.get(1).get("snapshot_installed").asBoolean()).isTrue();
    assertThat(runs.get(2).get("snapshot_installed").asBoolean()).isTrue();
    assertThat(runs.get(2).get("items").asLong()).isEqualTo(2000);
    for (JsonNode run : runs) {
      assertThat(run.get("catchup_ms").asLong()).isNotNegative();
      assertThat(run.get("follower_data_bytes").asLong()).isPositive();
    }
  }

  @Test
  void badInputIsRefusedWithTheFieldAndLimit() {
    StringWriter err = new StringWriter();
    CommandLine command = Rrbench.commandLine();
    command.setErr(new PrintWriter(err));

    int code = command.execute("catchup", "--items", "2000000", "--dir", dir.toString());

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("--items: must be 0..1000000");
  }
}
