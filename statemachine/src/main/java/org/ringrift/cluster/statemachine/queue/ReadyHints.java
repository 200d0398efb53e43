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
 * never which ones. It is only ever set to a key that was live in committed state when a claim
 * began (so a rolled-back batch cannot hide an item), and lowered whenever a key is inserted.
 */
public final class ReadyHints {
  private final Map<WorkType, byte[]> lowest = new EnumMap<>(WorkType.class);

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
}
