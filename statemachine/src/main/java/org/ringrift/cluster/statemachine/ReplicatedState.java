package org.ringrift.cluster.statemachine;

import java.util.function.Function;
import org.ringrift.cluster.proto.Command;
import org.ringrift.cluster.proto.CommandBatch;
import org.ringrift.cluster.proto.CommandResult;
import org.ringrift.cluster.proto.Query;
import org.ringrift.cluster.proto.QueryResult;
import org.ringrift.cluster.proto.RejectCode;
import org.ringrift.cluster.proto.Rejection;
import org.ringrift.cluster.statemachine.features.FeatureCommands;
import org.ringrift.cluster.statemachine.features.FeatureLevels;
import org.ringrift.cluster.statemachine.features.FeatureSupport;
import org.ringrift.cluster.statemachine.features.UnsupportedFeatureLevelException;
import org.ringrift.cluster.statemachine.queue.QueueLimits;
import org.ringrift.cluster.statemachine.queue.ReadyHints;
import org.ringrift.cluster.statemachine.sessions.SessionLimits;
import org.ringrift.cluster.statemachine.sessions.Sessions;
import org.ringrift.cluster.statemachine.store.Batch;
import org.ringrift.cluster.statemachine.store.MetaKeys;
import org.ringrift.cluster.statemachine.store.StateStore;

/**
 * The replicated state machine: a deterministic {@code apply} of log entries over the store, and
 * queries. Each command's checks and apply are its {@link CommandHandler} in the
 * {@link CommandRegistry}; this class only wraps them in what every command shares (feature-level
 * gate, term fence, state clock, savepoint, session dedupe, batch entries). It reads no clock, no
 * random source and no environment; time comes from the command. Not thread-safe for apply: the
 * Raft layer applies entries one at a time, in log order.
 */
public final class ReplicatedState {
  private static final CommandResult REPLAYED = CommandResult.newBuilder().setReplayed(true).build();

  private final StateStore store;
  private final StateQueries queries;
  private final CommandRegistry commands;
  private final BatchEntry batchEntry;
  private final Sessions sessions;
  private final ReadyHints readyHints = new ReadyHints();
  private final boolean fencing;
  private final FeatureCommands features;

  public ReplicatedState(StateStore store, QueueLimits queueLimits) {
    this(store, queueLimits, true);
  }

  /**
   * {@code fencing=false} is a deliberately broken build for the chaos harness (rrnode
   * --unsafe-test-hooks with -Dringrift.unsafe.fencing=off): it applies leader-daemon commands
   * whatever term they were proposed in, so that the harness can show its checker catches that.
   */
  public ReplicatedState(StateStore store, QueueLimits queueLimits, boolean fencing) {
    this(store, queueLimits, SessionLimits.defaults(), fencing);
  }

  public ReplicatedState(StateStore store, QueueLimits queueLimits, SessionLimits sessionLimits, boolean fencing) {
    this(store, queueLimits, sessionLimits, fencing, FeatureLevels.BUILD);
  }

  /**
   * {@code support}: the feature levels this binary applies, a constant of the build (capped in
   * tests to stand for an older build). It never decides an outcome; an entry above it stops this
   * replica (see {@link UnsupportedFeatureLevelException}).
   */
  public ReplicatedState(StateStore store, QueueLimits queueLimits, SessionLimits sessionLimits, boolean fencing,
      FeatureSupport support) {
    this.store = store;
    this.features = new FeatureCommands(support);
    this.queries = new StateQueries(store, Handlers.create(queueLimits, sessionLimits));
    this.commands = CommandRegistry.standard(queueLimits, sessionLimits, features);
    this.batchEntry = new BatchEntry(queueLimits.maxBatchCommands(), this::applyOne);
    this.sessions = new Sessions(sessionLimits);
    this.fencing = fencing;
  }

  public LogPosition applied() {
    return store.applied();
  }

  /** The cluster's feature level in this replica's applied state. */
  public int featureLevel() {
    try (Batch view = store.newBatch()) {
      return FeatureCommands.level(new Meta(view));
    }
  }

  /**
   * Throws {@link UnsupportedFeatureLevelException} when the state (opened from disk or installed
   * from a snapshot) is at a feature level this binary cannot apply.
   */
  public void requireSupportedLevel() {
    int level = featureLevel();
    if (!features.support().supports(level)) {
      throw new UnsupportedFeatureLevelException("the state at index " + store.applied().index()
          + " is at feature level " + level + " but this binary supports " + features.support());
    }
  }

  /**
   * Applies one entry: a single command, or a {@link CommandBatch} of them (see
   * {@link BatchEntry}). An entry at or below the applied index was applied before a restart and
   * changes nothing. A rejected command writes nothing but its counter; the entry still moves
   * the applied index.
   */
  public CommandResult apply(Command command, LogPosition entry) {
    boolean isBatch = command.getBodyCase() == Command.BodyCase.BATCH;
    if (!entry.isAfter(store.applied())) {
      return isBatch ? BatchEntry.replayed(command.getBatch()) : REPLAYED;
    }
    if (isBatch && command.hasSession()) {
      // Refused as a whole like a malformed batch: a session on the entry would otherwise be
      // silently ignored, and its sender would believe its commands exactly-once.
      return commitEntry(entry, batch -> CommandResult.newBuilder().setRejected(Rejections.invalid("session",
          "a batch entry cannot carry a session: each command in it carries its own").rejection()).build());
    }
    return commitEntry(entry, batch -> isBatch
        ? batchEntry.apply(batch, command.getBatch(), entry)
        : applyOne(batch, command, entry));
  }

  /** Runs an entry's writes in one batch and commits them with the applied position, atomically. */
  private CommandResult commitEntry(LogPosition entry, Function<Batch, CommandResult> writes) {
    ReadyHints.Saved hints = readyHints.save();
    try (Batch batch = store.newBatch()) {
      CommandResult result = writes.apply(batch);
      store.commit(batch, entry);
      return result;
    } catch (RuntimeException e) {
      // Nothing of this entry reached the store, so no hint it moved may stay.
      readyHints.restore(hints);
      throw e;
    }
  }

  /**
   * Applies one command of an entry: through its client session when it carries one (stored
   * result, exactly once; see {@link Sessions}), else as is.
   */
  private CommandResult applyOne(Batch batch, Command command, LogPosition entry) {
    return command.hasSession()
        ? sessions.apply(batch, command, entry, this::applyCommand)
        : applyCommand(batch, command, entry);
  }

  /**
   * Applies one command into the entry's open batch exactly as if it were an entry of its own:
   * it sees the writes of the commands before it, and if it is rejected its own writes (and the
   * hints they moved) are undone, leaving only its rejection counter.
   */
  private CommandResult applyCommand(Batch batch, Command command, LogPosition entry) {
    ReadyHints.Saved hints = readyHints.save();
    batch.setSavePoint();
    try {
      Meta meta = new Meta(batch);
      // First: a command above the cluster's level is refused before anything reads its body.
      int level = commands.featureLevel(command);
      features.gate(meta, command, level);
      commands.validate(command);
      if (fencing) {
        checkFence(command, entry);
      }
      long nowMs = meta.advanceClock(command.getNowMs());
      CommandResult result = commands.apply(new ApplyContext(batch, meta, entry, nowMs, readyHints,
          command.getExpectedTerm()), command);
      features.recordUse(meta, level);
      batch.releaseSavePoint();
      return result;
    } catch (Rejections.RejectedException rejected) {
      batch.rollbackToSavePoint();
      readyHints.restore(hints);
      countRejection(new Meta(batch), rejected.rejection());
      return CommandResult.newBuilder().setRejected(rejected.rejection()).build();
    }
  }

  private static void checkFence(Command command, LogPosition entry) {
    if (command.getExpectedTerm() != 0 && command.getExpectedTerm() != entry.term()) {
      throw Rejections.fenced("proposed in term " + command.getExpectedTerm()
          + " but committed in term " + entry.term());
    }
  }

  private static void countRejection(Meta meta, Rejection rejection) {
    if (rejection.getCode() == RejectCode.REJECT_STALE_TOKEN) {
      meta.add(MetaKeys.STALE_TOKEN_REJECTIONS, 1);
    } else if (rejection.getCode() == RejectCode.REJECT_FENCED) {
      meta.add(MetaKeys.FENCED_REJECTIONS, 1);
    }
  }

  /** Records an entry that carries no command (a Raft configuration or leader no-op entry). */
  public void recordApplied(LogPosition entry) {
    if (!entry.isAfter(store.applied())) {
      return;
    }
    try (Batch batch = store.newBatch()) {
      store.commit(batch, entry);
    }
  }

  /** A read of the applied state; a refused query answers its rejection. */
  public QueryResult query(Query query) {
    return queries.query(query);
  }
}
