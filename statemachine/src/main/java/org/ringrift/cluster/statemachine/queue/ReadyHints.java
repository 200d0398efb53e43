package org.ringrift.cluster.statemachine.queue;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import org.ringrift.cluster.proto.WorkType;

/**
 * Where each work type's ready range may start. Claims delete ready keys at the head of the
 * range and RocksDB keeps the deletions until compaction, so a seek from the range start steps
 * over every item ever claimed. The hint lets a claim seek past them.
 *
 * <p>A hint is a cache in memory, never replicated: it changes how fast a claim finds its items,
 * never which ones. It is only ever raised to the first key that was live when a claim began, in
 * the state that claim sees (committed state plus the earlier commands of its batch entry), and
 * lowered whenever a key is inserted. Writes that are undone take their hints with them: apply
 * {@link #save saves} the hints before a command and {@link #restore restores} them when the
 * command is rolled back, and likewise around a whole entry that fails to commit, so a hint never
 * points past a key that is live in the store.
 */
public final class ReadyHints {
  private final Map<WorkType, byte[]> lowest = new EnumMap<>(WorkType.class);

  /** The hints as they are now; keys are never mutated, so a shallow copy is a snapshot. */
  public synchronized Saved save() {
    return new Saved(new EnumMap<>(lowest));
  }

  /** Puts back hints saved before writes that were then undone. */
  public synchronized void restore(Saved saved) {
    lowest.clear();
    lowest.putAll(saved.hints);
  }

  synchronized byte[] seekFrom(WorkType type) {
    byte[] hint = lowest.get(type);
    return hint == null ? QueueKeys.readyPrefix(type) : hint;
  }

  /** A ready key was written: the range may now start lower. */
  synchronized void inserted(WorkType type, byte[] readyKey) {
    byte[] hint = lowest.get(type);
    if (hint != null && Arrays.compareUnsigned(readyKey, hint) < 0) {
      lowest.put(type, readyKey);
    }
  }

  /** A claim found {@code firstLiveKey} first in the type's range before changing anything. */
  synchronized void firstLive(WorkType type, byte[] firstLiveKey) {
    lowest.put(type, firstLiveKey);
  }

  /** Hints saved by {@link #save}; opaque to everyone else. */
  public static final class Saved {
    private final Map<WorkType, byte[]> hints;

    private Saved(Map<WorkType, byte[]> hints) {
      this.hints = hints;
    }
  }
}
