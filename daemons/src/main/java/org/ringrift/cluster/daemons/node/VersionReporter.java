package org.ringrift.cluster.daemons.node;

import java.util.Optional;
import org.ringrift.cluster.proto.HeartbeatRequest;

/**
 * Reports this node's binary version and the feature levels it applies with every heartbeat, so
 * the node registry (replicated) says what each member runs, and a raise of the feature level can
 * be checked against every member. Carried in the heartbeat's resources map, which every build
 * since the first stores as it is: adding these keys changes nothing an older build applies.
 */
public final class VersionReporter implements HeartbeatExtension {
  public static final String VERSION_RESOURCE = "ringrift.version";
  /** {@code MIN-MAX}, the feature levels this binary applies; absent on worker-only nodes, which apply nothing. */
  public static final String FEATURE_LEVELS_RESOURCE = "ringrift.feature_levels";

  private final String version;
  private final Optional<String> featureLevels;

  /** {@code featureLevels}: this member's levels in their heartbeat form {@code MIN-MAX} (FeatureSupport's). */
  public VersionReporter(String version, Optional<String> featureLevels) {
    this.version = version;
    this.featureLevels = featureLevels;
  }

  @Override
  public void addTo(HeartbeatRequest.Builder heartbeat) {
    heartbeat.putResources(VERSION_RESOURCE, version);
    featureLevels.ifPresent(levels -> heartbeat.putResources(FEATURE_LEVELS_RESOURCE, levels));
  }

  @Override
  public void accepted(HeartbeatRequest sent) {}
}
