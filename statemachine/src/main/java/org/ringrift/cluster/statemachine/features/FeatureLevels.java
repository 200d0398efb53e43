package org.ringrift.cluster.statemachine.features;

import org.ringrift.cluster.proto.Command;

/**
 * The feature levels of the replicated state machine and the range this build can apply. Each
 * command's level is its handler's {@code CommandHandler.featureLevel()}; a command applies only at
 * a cluster feature level at or above its own, and the level rises only when every member's binary
 * supports it (docs/OPERATIONS.md "Upgrades"). A change that a node of the previous build would
 * apply differently (a new command, a new field with meaning, a changed rule) gets a new level
 * here, and the handlers it concerns say so.
 */
public final class FeatureLevels {
  /** The level of a state that never saw set_feature_level: everything before feature levels. */
  public static final int BASE = 1;
  /** annotate_item. */
  public static final int ANNOTATE = 2;
  /** set_priority. */
  public static final int PRIORITY = 3;
  /** The levels this build applies. */
  public static final FeatureSupport BUILD = new FeatureSupport(BASE, PRIORITY);
  /** The level of a command body this build does not know (always above the cluster's; see required). */
  public static final int UNKNOWN = Integer.MAX_VALUE;

  private FeatureLevels() {}

  /**
   * The level of a command no handler owns. A body this build does not know (protobuf keeps it as
   * an unknown field and reports no body) is of a level above every level this build supports, so
   * above the cluster's current one, which this build supports or it would have stopped applying.
   * An empty command is BASE: it is refused as an invalid argument, not as a later build's.
   */
  public static int unregistered(Command command) {
    return command.getBodyCase() == Command.BodyCase.BODY_NOT_SET && !command.getUnknownFields().asMap().isEmpty()
        ? UNKNOWN : BASE;
  }

  /** The command's name for messages: its body field, or the unknown field numbers. */
  public static String name(Command command) {
    if (command.getBodyCase() == Command.BodyCase.BODY_NOT_SET) {
      return "unknown command (fields " + command.getUnknownFields().asMap().keySet() + ")";
    }
    return command.getBodyCase().name().toLowerCase(java.util.Locale.ROOT);
  }
}
