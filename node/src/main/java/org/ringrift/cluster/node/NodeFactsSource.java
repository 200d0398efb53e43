package org.ringrift.cluster.node;

import java.time.Clock;
import org.ringrift.cluster.proto.NodeFacts;
import org.ringrift.cluster.raft.EffectiveSettings;
import org.ringrift.cluster.raft.RaftNode;
import org.ringrift.cluster.raft.RaftSettings;

/** Builds the {@link NodeFacts} part of a status answer: the probe result, in-force settings, the clock now. */
final class NodeFactsSource {
  private final RaftNode raft;
  private final FsyncProbe.Result fsync;
  private final Clock clock;
  private final Transport transport;

  NodeFactsSource(RaftNode raft, FsyncProbe.Result fsync, Clock clock, Transport transport) {
    this.transport = transport;
    this.raft = raft;
    this.fsync = fsync;
    this.clock = clock;
  }

  NodeFacts facts() {
    RaftSettings settings = raft.settings();
    EffectiveSettings effective = raft.effectiveSettings();
    return NodeFacts.newBuilder()
        .setFsyncP50Us(fsync.p50Micros())
        .setFsyncMaxUs(fsync.maxMicros())
        .setFsyncSamples(fsync.samples())
        .setElectionTimeoutMinMs(settings.electionTimeoutMin().toMillis())
        .setElectionTimeoutMaxMs(settings.electionTimeoutMax().toMillis())
        .setReadOption(effective.readOption())
        .setGrpcMessageMaxBytes(effective.grpcMessageMaxBytes())
        .setAppenderBufferBytes(effective.appenderBufferBytes())
        .setSnapshotTimeMs(raft.latestSnapshotTimeMs())
        .setSnapshotThresholdEntries(settings.snapshotThresholdEntries())
        .setClockMs(clock.millis())
        .setTransport(transport.label())
        .build();
  }
}
