package org.ringrift.cluster.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Waits for a leader change complete on the change, not on a poll. */
class LeaderWatchTest {
  private final LeaderWatch watch = new LeaderWatch();

  @Test
  void aWaitCompletesWhenThatLeaderIsHeardOf() {
    CompletableFuture<Void> heard = watch.awaitLeader("n2");
    watch.changed("n3");
    assertThat(heard).isNotDone();
    watch.changed("n2");
    assertThat(heard).isCompleted();
  }

  @Test
  void aWaitForTheKnownLeaderCompletesAtOnce() {
    watch.changed("n1");
    assertThat(watch.awaitLeader("n1")).isCompleted();
  }

  @Test
  void openWaitsAreBoundedAndForgettingOneFreesItsSlot() {
    CompletableFuture<Void> first = null;
    for (int i = 0; i < LeaderWatch.MAX_WAITERS; i++) {
      CompletableFuture<Void> wait = watch.awaitLeader("n" + i);
      first = first == null ? wait : first;
      assertThat(wait).isNotDone();
    }
    assertThat(watch.awaitLeader("one-more")).isCompletedExceptionally();
    watch.forget(first);
    assertThat(watch.awaitLeader("one-more")).isNotDone();
  }
}
