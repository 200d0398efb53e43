package org.ringrift.cluster.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ringrift.cluster.chaos.LivenessChecker.Check;
import org.ringrift.cluster.chaos.LivenessChecker.NodeResult;

/** What a liveness check reports, and the bound's validation. */
class LivenessCheckTest {
  private static final Duration BOUND = Duration.ofSeconds(10);

  @AfterEach
  void clearProperty() {
    System.clearProperty(LivenessChecker.BOUND_PROPERTY);
  }

  @Test
  void aNodeThatNeverBecameLiveIsAProblemNamingTheNodeWhatFailedTheBoundTheHealAndTheError() {
    Check check = new Check("heal of netns-isolate-leader", BOUND, List.of(
        new NodeResult("n1", true, Duration.ofMillis(276), ""),
        new NodeResult("n2", false, BOUND, "no write accepted through its own endpoint: UNAVAILABLE RAFT is closed.")));

    assertThat(check.live()).isFalse();
    assertThat(check.timeToLive()).isEqualTo(BOUND);
    assertThat(check.problems()).containsExactly("liveness n2: no write accepted through its own endpoint within 10 s "
        + "after heal of netns-isolate-leader: UNAVAILABLE RAFT is closed.");
    assertThat(check.summary()).isEqualTo("after heal of netns-isolate-leader: NOT LIVE within 10 s (n1 276 ms, n2 never)");
  }

  @Test
  void whenEveryNodeIsLiveTheTimeToLiveIsTheSlowestNodes() {
    Check check = new Check("heal of kill-leader", BOUND, List.of(new NodeResult("n1", true, Duration.ofMillis(40), ""),
        new NodeResult("n2", true, Duration.ofMillis(5483), ""), new NodeResult("n3", true, Duration.ofMillis(2490), "")));

    assertThat(check.live()).isTrue();
    assertThat(check.problems()).isEmpty();
    assertThat(check.timeToLive()).isEqualTo(Duration.ofMillis(5483));
    assertThat(check.summary()).isEqualTo("after heal of kill-leader: every node live in 5483 ms (n1 40 ms, n2 5483 ms, "
        + "n3 2490 ms)");
  }

  @Test
  void theBoundDefaultsToTenSecondsAndTakesAnIsoDurationWithinLimits() {
    assertThat(LivenessChecker.bound()).isEqualTo(Duration.ofSeconds(10));
    System.setProperty(LivenessChecker.BOUND_PROPERTY, "PT20S");
    assertThat(LivenessChecker.bound()).isEqualTo(Duration.ofSeconds(20));
    System.setProperty(LivenessChecker.BOUND_PROPERTY, "10");
    assertThatThrownBy(LivenessChecker::bound).hasMessage("-Dchaos.liveBound=10 is not an ISO-8601 duration like PT10S");
    System.setProperty(LivenessChecker.BOUND_PROPERTY, "PT11M");
    assertThatThrownBy(LivenessChecker::bound).hasMessage("-Dchaos.liveBound=PT11M must be above zero and at most PT10M");
    System.setProperty(LivenessChecker.BOUND_PROPERTY, "PT0S");
    assertThatThrownBy(LivenessChecker::bound).hasMessageContaining("must be above zero");
  }
}
