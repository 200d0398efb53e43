package org.ringrift.cluster.statemachine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ringrift.cluster.proto.CommandResult;
import org.ringrift.cluster.proto.Query;
import org.ringrift.cluster.proto.QueueStatsRequest;
import org.ringrift.cluster.statemachine.queue.QueueLimits;
import org.ringrift.cluster.statemachine.store.StateStore;

/**
 * Kill -9 of a process in the middle of applying: the store must come back at (or one entry past)
 * the last index the process reported committed, with state that matches exactly that prefix of
 * the log, and go on applying. Three kills at different depths, each resuming the same store.
 */
class CrashRecoveryTest {
  @TempDir Path tmp;

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void killedApplierRecoversToItsLastCommittedEntry() throws Exception {
    Path dir = tmp.resolve("store");
    long applied = 0;
    for (int round = 0; round < 3; round++) {
      // Kill at a different depth each round: 300, 700, 1100 entries into the run.
      long target = applied + 300 + 400L * round;
      long lastReported = runAndKill(dir, round, target);

      try (StateStore store = StateStore.open(dir)) {
        ReplicatedState state = new ReplicatedState(store, QueueLimits.defaults());
        applied = state.applied().index();
        System.out.printf("round %d: killed after reporting index %d; store recovered at %d%n", round, lastReported, applied);

        // The child prints an index after its batch is written, so the store holds at least
        // that entry, and at most the one the child was killed between writing and printing.
        assertThat(applied).isBetween(lastReported, lastReported + 1);
        assertThat(state.applied().term()).isEqualTo(CrashWorkload.TERM);
        assertThat(stats(state)).isEqualTo(CrashWorkload.expectedStats(applied));

        long next = applied + 1;
        CommandResult result = state.apply(CrashWorkload.command(next, state), new LogPosition(CrashWorkload.TERM, next));
        assertThat(result.hasRejected()).as("entry %d after recovery: %s", next, result).isFalse();
        assertThat(state.applied().index()).isEqualTo(next);
        assertThat(stats(state)).isEqualTo(CrashWorkload.expectedStats(next));
        applied = next;
      }
    }
  }

  /** Starts the child, waits until it reported {@code target}, SIGKILLs it; the last index it printed. */
  private long runAndKill(Path dir, int round, long target) throws IOException, InterruptedException {
    Path stderr = tmp.resolve("child-" + round + ".err");
    Process child = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"),
        CrashChild.class.getName(), dir.toString())
        .redirectError(stderr.toFile())
        .start();
    long last = -1;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while (last < target && (line = out.readLine()) != null) {
        last = Long.parseLong(line.trim());
      }
      assertThat(last).as("child died early; stderr: %s", Files.readString(stderr)).isGreaterThanOrEqualTo(target);
      // SIGKILL through the process handle: Process.destroyForcibly() would also close our end
      // of the pipe, and with it the lines printed between our last read and the kill.
      child.toHandle().destroyForcibly();
      assertThat(child.waitFor(10, TimeUnit.SECONDS)).as("child exits after SIGKILL").isTrue();
      while ((line = out.readLine()) != null) {
        last = Long.parseLong(line.trim());
      }
    } finally {
      child.destroyForcibly();
    }
    assertThat(child.exitValue()).as("killed by SIGKILL, not exited; stderr: %s", Files.readString(stderr))
        .isEqualTo(128 + 9);
    return last;
  }

  private static org.ringrift.cluster.proto.QueueStats stats(ReplicatedState state) {
    return state.query(Query.newBuilder().setQueueStats(QueueStatsRequest.getDefaultInstance()).build()).getQueueStats();
  }
}
