package org.ringrift.cluster.statemachine;

import org.ringrift.cluster.statemachine.store.Batch;

/** What a handler may use while applying one entry: its batch, the entry, and the state clock. */
public record ApplyContext(Batch batch, Meta meta, LogPosition entry, long nowMs) {}
