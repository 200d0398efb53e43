package org.ringrift.cluster.daemons.node;

import java.util.Optional;
import org.ringrift.cluster.proto.HeartbeatRequest;
import org.ringrift.cluster.statemachine.features.FeatureSupport;

/**
 * Reports this node's binary version and the feature levels it applies with every heartbeat, so
 * the node registry (replicated) says what each member runs, and a raise of the feature level can
 * be checked against every member. Carried in the heartbeat's resources map, which every build
 * since the first stores as it is: adding these keys changes nothing an older build applies.
 */
public final class VersionReporter implements HeartbeatExtension {
  public static final String VERSION_RESOURCE = "ringrift.version";
  /** {@code MIN-MAX}, see {@link FeatureSupport#toString()}; absent on worker-only nodes, which apply nothing. */
  public static final String FEATURE_LEVELS_RESOURCE = "ringrift.feature_levels";

  private final String version;
  private final Optional<FeatureSupport> features;

  public VersionReporter(String version, Optional<FeatureSupport> features) {
    this.version = version;
    this.features = features;
  }

  @Override
  public void addTo(HeartbeatRequest.Builder heartbeat) {
    heartbeat.putResources(VERSION_RESOURCE, version);
    features.ifPresent(f -> heartbeat.putResources(FEATURE_LEVELS_RESOURCE, f.toString()));
  }

  @Override
  public void accepted(HeartbeatRequest sent) {}
}
