package org.ringrift.cluster.statemachine;

import com.google.protobuf.Message;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.ringrift.cluster.proto.Command;
import org.ringrift.cluster.proto.CommandResult;
import org.ringrift.cluster.statemachine.features.FeatureCommands;
import org.ringrift.cluster.statemachine.features.FeatureLevels;
import org.ringrift.cluster.statemachine.queue.QueueLimits;
import org.ringrift.cluster.statemachine.sessions.SessionCommands;
import org.ringrift.cluster.statemachine.sessions.SessionLimits;

/**
 * Every replicated command, one {@link CommandHandler} per body case. Admission at the API edge
 * and {@link ReplicatedState#apply} both go through it: {@link #validate} is the one place a
 * command's stateless checks run, {@link #apply} the one dispatch. Immutable; built complete (a
 * body case without a handler refuses to build).
 */
public final class CommandRegistry {
  /** Body cases that are not commands of their own: a batch is the envelope of an entry. */
  static final Set<Command.BodyCase> NOT_COMMANDS = EnumSet.of(Command.BodyCase.BATCH, Command.BodyCase.BODY_NOT_SET);

  private final Map<Command.BodyCase, CommandHandler<?>> handlers = new EnumMap<>(Command.BodyCase.class);

  /** Throws IllegalArgumentException if a body case has two handlers or none. */
  public CommandRegistry(List<CommandHandler<?>> all) {
    for (CommandHandler<?> handler : all) {
      if (NOT_COMMANDS.contains(handler.bodyCase())) {
        throw new IllegalArgumentException(handler.bodyCase() + " is not a command a handler can own");
      }
      if (handlers.putIfAbsent(handler.bodyCase(), handler) != null) {
        throw new IllegalArgumentException("two handlers for " + handler.bodyCase());
      }
    }
    Set<Command.BodyCase> missing = EnumSet.allOf(Command.BodyCase.class);
    missing.removeAll(NOT_COMMANDS);
    missing.removeAll(handlers.keySet());
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException("no handler for " + missing + ": register one in CommandCatalog");
    }
  }

  /** This build's commands, with the limits they check against. */
  public static CommandRegistry standard(QueueLimits queueLimits, SessionLimits sessionLimits,
      FeatureCommands features) {
    return new CommandRegistry(CommandCatalog.handlers(Handlers.create(queueLimits, sessionLimits), features));
  }

  public Optional<CommandHandler<?>> handler(Command.BodyCase bodyCase) {
    return Optional.ofNullable(handlers.get(bodyCase));
  }

  /**
   * The checks of one command that need no state: its body's (the handler's validate), its
   * session reference, and the term a leader-only command must carry. Throws
   * {@link Rejections.RejectedException} naming the field at fault.
   */
  public void validate(Command command) {
    CommandHandler<?> handler = require(command);
    validateBody(handler, command);
    SessionCommands.checkRef(command);
    if (handler.leaderOnly() && command.getExpectedTerm() == 0) {
      throw Rejections.invalid("expected_term", "leader-daemon commands must carry the term they were decided in");
    }
  }

  /**
   * The feature level {@code command} needs: its handler's; a command no handler owns (no body,
   * or a body of a later build) is {@link FeatureLevels#unregistered}.
   */
  public int featureLevel(Command command) {
    CommandHandler<?> handler = handlers.get(command.getBodyCase());
    return handler == null ? FeatureLevels.unregistered(command) : handler.featureLevel();
  }

  /** Commands only a ready leader's daemons propose; they are always fenced. */
  public boolean isLeaderOnly(Command command) {
    CommandHandler<?> handler = handlers.get(command.getBodyCase());
    return handler != null && handler.leaderOnly();
  }

  /** Applies a command that passed {@link #validate} into {@code ctx}: the dispatch, nothing else. */
  public CommandResult apply(ApplyContext ctx, Command command) {
    CommandResult.Builder result = CommandResult.newBuilder();
    applyBody(require(command), ctx, command, result);
    return result.build();
  }

  private CommandHandler<?> require(Command command) {
    return switch (command.getBodyCase()) {
      // A batch reaches a handler's path only as a command inside another batch: a batch entry
      // is taken apart by apply, never checked as one command.
      case BATCH -> throw nestedBatch();
      case BODY_NOT_SET -> throw Rejections.invalid("body", "command has no body");
      default -> handlers.get(command.getBodyCase());
    };
  }

  static Rejections.RejectedException nestedBatch() {
    return Rejections.invalid("batch", "a batch inside a batch is refused: a batch holds single commands");
  }

  private static <B extends Message> void validateBody(CommandHandler<B> handler, Command command) {
    handler.validate(handler.body(command));
  }

  private static <B extends Message> void applyBody(CommandHandler<B> handler, ApplyContext ctx, Command command,
      CommandResult.Builder result) {
    handler.apply(ctx, handler.body(command), result);
  }
}
