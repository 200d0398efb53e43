package org.ringrift.cluster.statemachine;

import org.ringrift.cluster.statemachine.store.Batch;
import org.ringrift.cluster.statemachine.store.Bytes;
import org.ringrift.cluster.statemachine.store.Family;
import org.ringrift.cluster.statemachine.store.MetaKeys;

/** Counters, sequences and the state clock kept in the meta family, read and written in a batch. */
public final class Meta {
  private final Batch batch;

  public Meta(Batch batch) {
    this.batch = batch;
  }

  public long read(byte[] key) {
    byte[] raw = batch.get(Family.META, key);
    return raw == null ? 0 : Bytes.decodeLong(raw);
  }

  public void write(byte[] key, long value) {
    batch.put(Family.META, key, Bytes.encodeLong(value));
  }

  public long add(byte[] key, long delta) {
    long value = read(key) + delta;
    write(key, value);
    return value;
  }

  /** Returns the next value of a sequence, starting at 1. */
  public long next(byte[] sequenceKey) {
    return add(sequenceKey, 1);
  }

  /** Advances the state clock to {@code proposedMs} unless it is already later; never goes back. */
  public long advanceClock(long proposedMs) {
    long now = Math.max(read(MetaKeys.CLOCK_MS), proposedMs);
    write(MetaKeys.CLOCK_MS, now);
    return now;
  }
}
