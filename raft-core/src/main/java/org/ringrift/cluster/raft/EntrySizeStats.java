package org.ringrift.cluster.raft;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Commands per applied log entry: 1 for a single command, the batch size for a group-committed
 * batch. Entries and commands give the mean batch size (export them as a counter pair); the
 * largest since the last {@link #takeMaxCommands()} shows how full the batches get.
 */
public final class EntrySizeStats {
  private final LongAdder entries = new LongAdder();
  private final LongAdder commands = new LongAdder();
  private final AtomicLong maxCommands = new AtomicLong();

  public void record(int commandsInEntry) {
    entries.increment();
    commands.add(commandsInEntry);
    maxCommands.accumulateAndGet(commandsInEntry, Math::max);
  }

  public long entries() {
    return entries.sum();
  }

  public long commands() {
    return commands.sum();
  }

  /** The largest entry recorded since the previous call, and a fresh window from now. */
  public long takeMaxCommands() {
    return maxCommands.getAndSet(0);
  }
}
