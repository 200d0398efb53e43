package org.ringrift.cluster.raft.ratis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.LongPredicate;
import org.junit.jupiter.api.Test;

class PurgeSafeLogAppenderTest {
  /** The leader's log holds 20..40 after purging everything up to its snapshot at 19. */
  private static final LongPredicate LOG_20_TO_40 = index -> index >= 20 && index <= 40;
  private static final long LEADER_SNAPSHOT = 19;

  @Test
  void aFollowerWhosePreviousEntryWasPurgedNeedsASnapshot() {
    // The restarted follower answered INCONSISTENCY with next index 19: entry 18 is gone.
    assertThat(PurgeSafeLogAppender.previousEntryMissing(19, 0, LOG_20_TO_40, LEADER_SNAPSHOT)).isTrue();
    assertThat(PurgeSafeLogAppender.previousEntryMissing(5, 0, LOG_20_TO_40, LEADER_SNAPSHOT)).isTrue();
  }

  @Test
  void anAppendWhosePreviousEntryIsInTheLogOrASnapshotGoesAhead() {
    assertThat(PurgeSafeLogAppender.previousEntryMissing(25, 0, LOG_20_TO_40, LEADER_SNAPSHOT)).isFalse();
    // Previous entry 19 is the leader's snapshot.
    assertThat(PurgeSafeLogAppender.previousEntryMissing(20, 0, LOG_20_TO_40, LEADER_SNAPSHOT)).isFalse();
    // The follower has just installed a snapshot at 10: its next append needs no previous entry.
    assertThat(PurgeSafeLogAppender.previousEntryMissing(11, 10, LOG_20_TO_40, LEADER_SNAPSHOT)).isFalse();
    // The first entry of a log has no previous.
    assertThat(PurgeSafeLogAppender.previousEntryMissing(0, -1, index -> false, -1)).isFalse();
  }

  @Test
  void theGuardIsOnlyEngagedByAPurge() {
    LongPredicate fullLog = index -> index >= 0 && index <= 40;
    for (long next = 1; next <= 41; next++) {
      assertThat(PurgeSafeLogAppender.previousEntryMissing(next, -1, fullLog, -1)).as("next=%d", next).isFalse();
    }
  }
}
