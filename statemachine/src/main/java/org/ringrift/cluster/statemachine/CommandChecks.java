package org.ringrift.cluster.statemachine;

import org.ringrift.cluster.proto.Command;
import org.ringrift.cluster.statemachine.features.FeatureCommands;
import org.ringrift.cluster.statemachine.features.FeatureLevels;
import org.ringrift.cluster.statemachine.queue.QueueLimits;
import org.ringrift.cluster.statemachine.sessions.SessionLimits;

/**
 * Admission at the API edge: a thin facade over {@link CommandRegistry}, so that bad input never
 * reaches the log. Apply runs the same {@link CommandRegistry#validate} again, because the log is
 * the authority.
 */
public final class CommandChecks {
  /** Leader-only is a fact of the command, not of the limits: any registry answers it alike. */
  private static final CommandRegistry STANDARD = CommandRegistry.standard(QueueLimits.defaults(),
      SessionLimits.defaults(), new FeatureCommands(FeatureLevels.BUILD));

  private final CommandRegistry registry;

  public CommandChecks(QueueLimits limits) {
    this(limits, SessionLimits.defaults());
  }

  public CommandChecks(QueueLimits limits, SessionLimits sessionLimits) {
    this(CommandRegistry.standard(limits, sessionLimits, new FeatureCommands(FeatureLevels.BUILD)));
  }

  public CommandChecks(CommandRegistry registry) {
    this.registry = registry;
  }

  /** Throws {@link Rejections.RejectedException} naming the field at fault. */
  public void check(Command command) {
    registry.validate(command);
  }

  /** The feature level {@code command} needs (its handler's), for a refusal that names it before proposing. */
  public int featureLevel(Command command) {
    return registry.featureLevel(command);
  }

  /** Commands only a ready leader's daemons propose; they are always fenced. */
  public static boolean isLeaderOnly(Command command) {
    return STANDARD.isLeaderOnly(command);
  }
}
