package org.ringrift.cluster.statemachine.features;

import org.ringrift.cluster.proto.Command;
import org.ringrift.cluster.proto.FeatureLevelResult;
import org.ringrift.cluster.proto.SetFeatureLevelRequest;
import org.ringrift.cluster.statemachine.Meta;
import org.ringrift.cluster.statemachine.Rejections;
import org.ringrift.cluster.statemachine.store.Batch;
import org.ringrift.cluster.statemachine.store.MetaKeys;

/**
 * The replicated feature level: the gate every command passes, set_feature_level, and its query.
 * Deterministic: the gate compares the command's level with the level in the state, which every
 * node holds alike. Only {@code support}, this binary's own range, differs between nodes, and it
 * never decides an outcome: a node that cannot apply an entry stops (throws
 * {@link UnsupportedFeatureLevelException}) instead of answering differently.
 */
public final class FeatureCommands {
  /** Levels set_feature_level accepts at all; a guard against typos, far above any real level. */
  public static final int MAX_LEVEL = 1000;

  private final FeatureSupport support;

  public FeatureCommands(FeatureSupport support) {
    this.support = support;
  }

  public FeatureSupport support() {
    return support;
  }

  public static int level(Meta meta) {
    long level = meta.read(MetaKeys.FEATURE_LEVEL);
    return level == 0 ? FeatureLevels.BASE : (int) level;
  }

  public static int maxUsed(Meta meta) {
    long used = meta.read(MetaKeys.FEATURE_MAX_USED);
    return used == 0 ? FeatureLevels.BASE : (int) used;
  }

  /**
   * Refuses a command whose level ({@code required}, its handler's) is above the cluster's level, the same way on every node (the message names
   * only what every node knows, even one that does not know the command: it may be stored as a
   * session's result). Records the highest level used, which bounds lowering.
   */
  public void gate(Meta meta, Command command, int required) {
    int current = level(meta);
    if (required > current) {
      throw Rejections.precondition("feature_level", "this command needs a feature level above the cluster's "
          + "current level " + current + "; raise it with rrctl cluster upgrade --to N once every node supports N");
    }
    if (required > support.max()) {
      // Unreachable while the state's level stays within support (checked at open and on every
      // raise); kept so that a gap in that reasoning stops this node instead of diverging it.
      throw new UnsupportedFeatureLevelException(FeatureLevels.name(command) + " needs feature level " + required
          + " but this binary supports " + support);
    }
  }

  /** After a command of level {@code required} passed the gate and applied: remember the highest level used. */
  public void recordUse(Meta meta, int required) {
    if (required > FeatureLevels.BASE && required > maxUsed(meta)) {
      meta.write(MetaKeys.FEATURE_MAX_USED, required);
    }
  }

  public static void check(SetFeatureLevelRequest request) {
    if (request.getLevel() < FeatureLevels.BASE || request.getLevel() > MAX_LEVEL) {
      throw Rejections.invalid("level", "feature level " + request.getLevel() + " is outside "
          + FeatureLevels.BASE + "-" + MAX_LEVEL);
    }
  }

  public FeatureLevelResult set(Meta meta, SetFeatureLevelRequest request) {
    int current = level(meta);
    int target = request.getLevel();
    int used = maxUsed(meta);
    if (target < used) {
      throw Rejections.precondition("level", "cannot lower the feature level to " + target + ": a command of level "
          + used + " was applied, and a binary of a lower level could not read the state it wrote");
    }
    if (!support.supports(target)) {
      throw new UnsupportedFeatureLevelException("the log sets the cluster's feature level to " + target
          + " but this binary supports " + support);
    }
    meta.write(MetaKeys.FEATURE_LEVEL, target);
    return FeatureLevelResult.newBuilder().setLevel(target).setPrevious(current).setMaxUsedLevel(used).build();
  }

  public static FeatureLevelResult read(Batch view) {
    Meta meta = new Meta(view);
    int level = level(meta);
    return FeatureLevelResult.newBuilder().setLevel(level).setPrevious(level).setMaxUsedLevel(maxUsed(meta)).build();
  }
}
