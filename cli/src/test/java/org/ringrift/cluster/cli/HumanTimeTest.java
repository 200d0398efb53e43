package org.ringrift.cluster.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.ringrift.cluster.proto.SessionInfo;

/** Durations and times in rrctl tables: the two largest units, UTC ISO to the second. */
class HumanTimeTest {
  @Test
  void durationsShowTheTwoLargestUnits() {
    assertThat(HumanTime.duration(0)).isEqualTo("0ms");
    assertThat(HumanTime.duration(999)).isEqualTo("999ms");
    assertThat(HumanTime.duration(1_000)).isEqualTo("1s");
    assertThat(HumanTime.duration(59_999)).isEqualTo("59s");
    assertThat(HumanTime.duration(192_000)).isEqualTo("3m12s");
    assertThat(HumanTime.duration(2 * 3_600_000L + 5 * 60_000L + 59_000)).isEqualTo("2h05m");
    assertThat(HumanTime.duration(3 * 86_400_000L + 4 * 3_600_000L)).isEqualTo("3d04h");
    assertThatThrownBy(() -> HumanTime.duration(-1)).hasMessageContaining("-1 ms");
  }

  @Test
  void isoTimesAreUtcToTheSecond() {
    assertThat(HumanTime.iso(1_796_378_130_987L)).isEqualTo("2026-12-04T09:55:30Z");
  }

  @Test
  void aSessionRowShowsIdleFromItsLastActivityAndNeverBelowZero() {
    SessionInfo session = SessionInfo.newBuilder().setSessionId(7).setClientName("loader@42").setLastSeq(3)
        .setAckedBelow(2).setResultsHeld(2).setResultBytes(96).setOpenedMs(1_796_378_130_000L)
        .setLastActiveMs(1_796_378_190_000L).build();
    assertThat(StateCommand.Sessions.row(session, 1_796_378_190_000L + 75_000)).containsExactly(
        java.util.Map.entry("id", 7L), java.util.Map.entry("client", "loader@42"), java.util.Map.entry("last_seq", 3L),
        java.util.Map.entry("acked_below", 2L), java.util.Map.entry("results_held", 2),
        java.util.Map.entry("result_bytes", 96L), java.util.Map.entry("idle", "1m15s"),
        java.util.Map.entry("opened", "2026-12-04T09:55:30Z"));
    // The cluster's clock may run ahead of this machine's.
    assertThat(StateCommand.Sessions.row(session, 1_796_378_189_000L).get("idle")).isEqualTo("0ms");
    assertThat(StateCommand.Sessions.row(session.toBuilder().setClientName("").build(), 0).get("client")).isNull();
  }
}
