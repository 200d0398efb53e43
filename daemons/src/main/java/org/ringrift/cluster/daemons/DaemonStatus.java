package org.ringrift.cluster.daemons;

/** One daemon as this node sees it. */
public record DaemonStatus(String name, DaemonSpec.Scope scope, DaemonState state, int restarts,
    int restartsLastHour, String lastError, long leaderTerm, boolean desiredEnabled) {}
