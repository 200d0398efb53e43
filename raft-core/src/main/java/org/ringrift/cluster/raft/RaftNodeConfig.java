package org.ringrift.cluster.raft;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import org.ringrift.cluster.raft.tls.RaftTls;
import org.ringrift.cluster.statemachine.features.FeatureLevels;
import org.ringrift.cluster.statemachine.features.FeatureSupport;
import org.ringrift.cluster.statemachine.queue.QueueLimits;

/**
 * Everything a {@link RaftNode} is built from.
 *
 * @param joining start with no configuration of its own and wait to be added by the group's
 *     leader (rrctl members add), instead of campaigning in a configuration nobody else has
 * @param hooks deliberately broken builds for the chaos harness; {@link UnsafeTestHooks#NONE}
 *     otherwise
 * @param tls mutual TLS on the Raft port, accepting only members' certificates; plaintext when empty
 * @param features the feature levels this node's state machine applies: this build's
 *     ({@link FeatureLevels#BUILD}) except where a test caps it to stand for an older build
 */
public record RaftNodeConfig(ClusterSpec spec, String selfId, Path dataDir, RaftSettings settings,
    QueueLimits queueLimits, Clock clock, boolean joining, UnsafeTestHooks hooks, Optional<RaftTls> tls,
    FeatureSupport features) {
  public RaftNodeConfig {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(selfId, "selfId");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(queueLimits, "queueLimits");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(hooks, "hooks");
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(features, "features");
  }

  /** A member of a configured group, plaintext, this build's feature levels, no test hooks. */
  public static RaftNodeConfig of(ClusterSpec spec, String selfId, Path dataDir, RaftSettings settings,
      QueueLimits queueLimits, Clock clock) {
    return new RaftNodeConfig(spec, selfId, dataDir, settings, queueLimits, clock, false, UnsafeTestHooks.NONE,
        Optional.empty(), FeatureLevels.BUILD);
  }

  public RaftNodeConfig withHooks(UnsafeTestHooks hooks) {
    return new RaftNodeConfig(spec, selfId, dataDir, settings, queueLimits, clock, joining, hooks, tls, features);
  }

  public RaftNodeConfig withFeatures(FeatureSupport features) {
    return new RaftNodeConfig(spec, selfId, dataDir, settings, queueLimits, clock, joining, hooks, tls, features);
  }
}
