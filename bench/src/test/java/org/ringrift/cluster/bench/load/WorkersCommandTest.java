package org.ringrift.cluster.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.TypeConversionException;

/** rrbench workers without a cluster: option checks, durations, and which step counts as holding. */
class WorkersCommandTest {
  private static final Percentiles FAST = new Percentiles(10, 5, 20, 30, 40);

  @Test
  void aStepHoldsOnlyWithClaimsNoFailedClaimAndP99UnderTheLimit() {
    assertThat(step(10, 0, FAST).heldClaimLimit()).isTrue();
    assertThat(step(10, 0, new Percentiles(10, 5, 99.9, 120, 130)).heldClaimLimit()).isTrue();
    assertThat(step(10, 0, new Percentiles(10, 5, 100, 120, 130)).heldClaimLimit()).isFalse();
    assertThat(step(10, 1, FAST).heldClaimLimit()).isFalse();
    assertThat(step(0, 0, FAST).heldClaimLimit()).isFalse();
  }

  @Test
  void durationsTakeMillisecondsSecondsAndMinutes() {
    DurationConverter converter = new DurationConverter();

    assertThat(converter.convert("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(converter.convert("10s")).isEqualTo(Duration.ofSeconds(10));
    assertThat(converter.convert("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(converter.convert("0s")).isZero();
    assertThatThrownBy(() -> converter.convert("ten")).isInstanceOf(TypeConversionException.class)
        .hasMessageContaining("500ms, 10s or 2m");
  }

  @Test
  void everyOptionOutOfRangeIsRefusedWithItsNameAndLimit() {
    for (List<String> bad : List.of(
        List.of("--workers", "0", "--workers: must be each 1..5000"),
        List.of("--duration", "500ms", "--duration: must be 1s..60m"),
        List.of("--warmup", "11m", "--warmup: must be 0s..10m"),
        List.of("--job-ms", "20001", "--job-ms: must be 10..20000"),
        List.of("--heartbeat-ms", "99", "--heartbeat-ms: must be 100..3600000"),
        List.of("--idle-ms", "0", "--idle-ms: must be 10..60000"),
        List.of("--connections", "513", "--connections: must be 1..512"),
        List.of("--backlog", "99", "--backlog: must be 100..100000"),
        List.of("--timeout-ms", "99", "--timeout-ms: must be 100..600000"),
        List.of("--output", "xml", "--output: must be table or json"),
        List.of("--warmup-max", "31m", "--warmup-max: must be 0s..30m"),
        List.of("--warmup-window", "50ms", "--warmup-window: must be 100ms..60s"),
        List.of("--warmup-tolerance", "1.0", "--warmup-tolerance: must be over 1.0 and at most 2.0"),
        List.of("--warmup-jit-pct", "101", "--warmup-jit-pct: must be 0..100"))) {
      StringWriter err = new StringWriter();
      CommandLine command = Rrbench.commandLine();
      command.setErr(new PrintWriter(err));

      int code = command.execute("workers", bad.get(0), bad.get(1));

      assertThat(code).as(bad.get(0)).isEqualTo(2);
      assertThat(err.toString()).as(bad.get(0)).contains(bad.get(2));
    }
  }

  private static WorkersStep step(long claims, long claimErrors, Percentiles claim) {
    WorkerFleet.Window window = new WorkerFleet.Window(claims, 0, claims, 1, claimErrors, 0, 0, 0, claim, FAST, FAST,
        FAST);
    return new WorkersStep(10, 1, window, 0, "n1", false, 50, List.of(40.0, 40.0), 10, 5.0, 1.0, 30.0,
        WarmupResult.off(), Optional.empty());
  }
}
