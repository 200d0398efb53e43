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

  private final int maxBatchCommands;
  private final Step step;

  BatchEntry(int maxBatchCommands, Step step) {
    this.maxBatchCommands = maxBatchCommands;
    this.step = step;
  }

  CommandResult apply(Batch batch, CommandBatch commands, LogPosition entry) {
    try {
      checkShape(commands);
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
   * The checks of a batch entry as a whole: at least one command, at most maxBatchCommands. Its
   * commands are checked one by one as they apply, so a bad one rejects only itself.
   */
  private void checkShape(CommandBatch batch) {
    int count = batch.getCommandsCount();
    if (count == 0) {
      throw Rejections.invalid("commands", "a batch needs at least one command");
    }
    if (count > maxBatchCommands) {
      throw Rejections.invalid("commands", count + " commands in one batch is over the limit of "
          + maxBatchCommands + " (QueueLimits.maxBatchCommands)");
    }
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
