package org.ringrift.cluster.statemachine;

import java.nio.file.Path;
import org.ringrift.cluster.proto.CommandResult;
import org.ringrift.cluster.statemachine.queue.QueueLimits;
import org.ringrift.cluster.statemachine.store.StateStore;

/**
 * The process {@link CrashRecoveryTest} kills: opens the store, continues the workload's log
 * after the applied index, and prints each index once its entry is committed. It never closes the
 * store; it only ever dies by SIGKILL, or stops by itself after a bound.
 */
public final class CrashChild {
  /** Stops by itself if nobody kills it (a test that died, say): bounded in entries and time. */
  private static final long MAX_ENTRIES = 200_000;
  private static final long MAX_NANOS = 60_000_000_000L;

  private CrashChild() {}

  public static void main(String[] args) {
    StateStore store = StateStore.open(Path.of(args[0]));
    ReplicatedState state = new ReplicatedState(store, QueueLimits.defaults());
    long start = System.nanoTime();
    long first = state.applied().index() + 1;
    for (long index = Math.max(1, first); index < first + MAX_ENTRIES; index++) {
      CommandResult result = state.apply(CrashWorkload.command(index, state), new LogPosition(CrashWorkload.TERM, index));
      if (result.hasRejected() || result.getReplayed()) {
        System.err.println("entry " + index + " was not applied: " + result);
        System.exit(2);
      }
      // Printed only after apply returned, i.e. after the entry's batch was written.
      System.out.println(index);
      if (System.out.checkError() || System.nanoTime() - start > MAX_NANOS) {
        break; // the test is gone, or never killed us
      }
    }
    System.exit(3);
  }
}
