package org.ringrift.cluster.statemachine;

import org.ringrift.cluster.statemachine.config.ConfigStore;
import org.ringrift.cluster.statemachine.events.EventLog;
import org.ringrift.cluster.statemachine.queue.ReadyHints;
import org.ringrift.cluster.statemachine.store.Batch;

/**
 * What a handler may use while applying one entry: its batch, the entry's position, the state
 * clock, the replicated config and the event log. Nothing else: no clock, no environment.
 */
public final class ApplyContext {
  private final Batch batch;
  private final Meta meta;
  private final LogPosition entry;
  private final long nowMs;
  private final ConfigStore config;
  private final EventLog events;
  private final ReadyHints readyHints;

  public ApplyContext(Batch batch, Meta meta, LogPosition entry, long nowMs, ReadyHints readyHints) {
    this(batch, meta, entry, nowMs, readyHints, 0);
  }

  /** {@code proposedTerm}: the command's expected_term, recorded on the events it emits. */
  public ApplyContext(Batch batch, Meta meta, LogPosition entry, long nowMs, ReadyHints readyHints, long proposedTerm) {
    this.readyHints = readyHints;
    this.batch = batch;
    this.meta = meta;
    this.entry = entry;
    this.nowMs = nowMs;
    this.config = new ConfigStore(batch);
    this.events = new EventLog(batch, meta, config, entry, nowMs, proposedTerm);
  }

  public Batch batch() {
    return batch;
  }

  public Meta meta() {
    return meta;
  }

  public LogPosition entry() {
    return entry;
  }

  public long nowMs() {
    return nowMs;
  }

  public ConfigStore config() {
    return config;
  }

  /** Seek hints for claims; a cache of this replica, not replicated state. */
  public ReadyHints readyHints() {
    return readyHints;
  }

  public EventLog events() {
    return events;
  }
}
