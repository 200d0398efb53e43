package org.ringrift.cluster.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When a warm-up counts as settled, and how its result reads. */
class WarmupSettingsTest {
  private static final WarmupSettings SETTINGS = new WarmupSettings(Duration.ofSeconds(120), Duration.ofSeconds(2), 1.10,
      10);

  @Test
  void settlesWhenTheLastThreeWindowsAreWithinTheTolerance() {
    assertThat(SETTINGS.settled(List.of(199.0, 203.0, 400.0, 420.0, 410.0))).isTrue();
    assertThat(SETTINGS.settled(List.of(100.0, 110.0, 105.0))).isTrue();
  }

  @Test
  void aClimbOrAWindowOutsideTheToleranceIsNotSettled() {
    assertThat(SETTINGS.settled(List.of(199.0, 203.0, 400.0))).isFalse();
    assertThat(SETTINGS.settled(List.of(100.0, 111.0, 105.0))).isFalse();
    assertThat(SETTINGS.settled(List.of(400.0, 410.0))).as("fewer than three windows").isFalse();
    assertThat(SETTINGS.settled(List.of(0.0, 0.0, 0.0))).as("nothing succeeded").isFalse();
    assertThat(SETTINGS.settled(List.of(121.7, 126.0, 130.2))).as("a steady climb within the tolerance").isFalse();
    assertThat(SETTINGS.settled(List.of(13.8, 13.2, 12.9))).as("a steady fall within the tolerance").isFalse();
  }

  @Test
  void theCompilersMustBeQuietInEachOfTheLastThreeWindows() {
    assertThat(SETTINGS.compilersQuiet(List.of(35.0, 9.0, 10.0, 4.0))).isTrue();
    assertThat(SETTINGS.compilersQuiet(List.of(9.0, 33.0, 4.0))).as("a third of the CPU compiling").isFalse();
    assertThat(SETTINGS.compilersQuiet(List.of(4.0, 4.0))).as("fewer than three windows").isFalse();
    assertThat(SETTINGS.compilersQuiet(java.util.Arrays.asList(null, null, null))).as("not measured").isTrue();
  }

  @Test
  void aWarmUpThatRanIntoItsMaximumSaysSo() {
    WarmupResult settled = new WarmupResult(6100, 2000, List.of(300.0, 310.0, 305.0), List.of(4.0, 3.9, 3.9),
        List.of(3.0, 2.0, 2.0), true, 0);
    WarmupResult unsettled = new WarmupResult(121000, 2000, List.of(100.0, 150.0, 300.0), List.of(9.0, 6.0, 4.0),
        List.of(30.0, 20.0, 12.0), false, 2);

    assertThat(settled.outcome()).isEqualTo("settled");
    assertThat(unsettled.outcome()).isEqualTo("max_reached");
    assertThat(WarmupResult.off().outcome()).isEqualTo("off");
    assertThat(unsettled.line("ringrift enqueue clients=16", "ops/s", "ms/op"))
        .contains("NOT SETTLED (reached --warmup-max) after 121.0 s, 3 windows").contains("100 150 300")
        .contains("jit %: 30 20 12").contains("2 errors");
    assertThat(unsettled.view()).containsEntry("warmup_ms", 121000L).containsEntry("warmup_settled", false)
        .containsEntry("warmup_windows", List.of(100.0, 150.0, 300.0));
  }
}
