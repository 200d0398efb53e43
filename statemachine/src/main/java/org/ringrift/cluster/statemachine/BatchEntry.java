package org.ringrift.cluster.statemachine;

import org.ringrift.cluster.proto.BatchResult;
import org.ringrift.cluster.proto.Command;
import org.ringrift.cluster.proto.CommandBatch;
import org.ringrift.cluster.proto.CommandResult;
import org.ringrift.cluster.statemachine.store.Batch;

/**
 * A log entry that carries many commands (group commit). Its commands apply in order into the
 * entry's one write batch, each as if it were an entry of its own at the batch entry's position,
 * and it answers one result per command, in order. Only the batch's shape (empty, too many
 * commands) can refuse it as a whole, before any command runs.
 */
final class BatchEntry {
  /** Applies one command into an open batch; a rejection is its result, not an exception. */
  @FunctionalInterface
  interface Step {
    CommandResult apply(Batch batch, Command command, LogPosition entry);
  }

  private final CommandChecks checks;
  private final Step step;

  BatchEntry(CommandChecks checks, Step step) {
    this.checks = checks;
    this.step = step;
  }

  CommandResult apply(Batch batch, CommandBatch commands, LogPosition entry) {
    try {
      checks.checkBatch(commands);
    } catch (Rejections.RejectedException rejected) {
      return CommandResult.newBuilder().setRejected(rejected.rejection()).build();
    }
    BatchResult.Builder results = BatchResult.newBuilder();
    for (Command command : commands.getCommandsList()) {
      results.addResults(step.apply(batch, command, entry));
    }
    return CommandResult.newBuilder().setBatch(results).build();
  }

  /**
   * A batch entry applied before a restart: one replayed result per command, so the proposer can
   * still match results to commands by position.
   */
  static CommandResult replayed(CommandBatch commands) {
    CommandResult one = CommandResult.newBuilder().setReplayed(true).build();
    BatchResult.Builder results = BatchResult.newBuilder();
    for (int i = 0; i < commands.getCommandsCount(); i++) {
      results.addResults(one);
    }
    return CommandResult.newBuilder().setBatch(results).build();
  }
}
