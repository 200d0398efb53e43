package org.ringrift.cluster.statemachine.store;

import org.ringrift.cluster.statemachine.LogPosition;

/** A hash of the whole replicated state and the log position it was taken at. */
public record StateDigest(LogPosition applied, String sha256Hex) {}
