package org.ringrift.cluster.statemachine;

import org.ringrift.cluster.proto.Command;
import org.ringrift.cluster.proto.CommandResult;
import org.ringrift.cluster.proto.DigestResult;
import org.ringrift.cluster.proto.Query;
import org.ringrift.cluster.proto.QueryResult;
import org.ringrift.cluster.proto.RejectCode;
import org.ringrift.cluster.proto.Rejection;
import org.ringrift.cluster.statemachine.queue.QueueCommands;
import org.ringrift.cluster.statemachine.queue.QueueLimits;
import org.ringrift.cluster.statemachine.queue.QueueQueries;
import org.ringrift.cluster.statemachine.store.Batch;
import org.ringrift.cluster.statemachine.store.MetaKeys;
import org.ringrift.cluster.statemachine.store.StateDigest;
import org.ringrift.cluster.statemachine.store.StateStore;

/**
 * The replicated state machine: a deterministic {@code apply} of log entries over the store, and
 * queries. It reads no clock, no random source and no environment; time comes from the command.
 * Not thread-safe for apply: the Raft layer applies entries one at a time, in log order.
 */
public final class ReplicatedState {
  private final StateStore store;
  private final QueueCommands queue;
  private final QueueQueries queueQueries = new QueueQueries();

  public ReplicatedState(StateStore store, QueueLimits queueLimits) {
    this.store = store;
    this.queue = new QueueCommands(queueLimits);
  }

  public LogPosition applied() {
    return store.applied();
  }

  /**
   * Applies one entry. An entry at or below the applied index was applied before a restart and
   * changes nothing. A rejected command writes nothing but the applied index and its counter.
   */
  public CommandResult apply(Command command, LogPosition entry) {
    if (!entry.isAfter(store.applied())) {
      return CommandResult.newBuilder().setReplayed(true).build();
    }
    try (Batch batch = store.newBatch()) {
      Meta meta = new Meta(batch);
      try {
        checkFence(command, entry);
        long nowMs = meta.advanceClock(command.getNowMs());
        CommandResult result = dispatch(new ApplyContext(batch, meta, entry, nowMs), command);
        store.commit(batch, entry);
        return result;
      } catch (Rejections.RejectedException rejected) {
        commitRejection(rejected.rejection(), entry);
        return CommandResult.newBuilder().setRejected(rejected.rejection()).build();
      }
    }
  }

  private static void checkFence(Command command, LogPosition entry) {
    if (command.getExpectedTerm() != 0 && command.getExpectedTerm() != entry.term()) {
      throw Rejections.fenced("proposed in term " + command.getExpectedTerm()
          + " but committed in term " + entry.term());
    }
  }

  private CommandResult dispatch(ApplyContext ctx, Command command) {
    CommandResult.Builder result = CommandResult.newBuilder();
    switch (command.getBodyCase()) {
      case ENQUEUE -> result.setEnqueue(queue.enqueue(ctx, command.getEnqueue()));
      case CLAIM -> result.setClaim(queue.claim(ctx, command.getClaim()));
      case COMPLETE -> result.setComplete(queue.complete(ctx, command.getComplete()));
      case BODY_NOT_SET -> throw Rejections.invalid("body", "command has no body");
    }
    return result.build();
  }

  private void commitRejection(Rejection rejection, LogPosition entry) {
    try (Batch batch = store.newBatch()) {
      Meta meta = new Meta(batch);
      if (rejection.getCode() == RejectCode.REJECT_STALE_TOKEN) {
        meta.add(MetaKeys.STALE_TOKEN_REJECTIONS, 1);
      } else if (rejection.getCode() == RejectCode.REJECT_FENCED) {
        meta.add(MetaKeys.FENCED_REJECTIONS, 1);
      }
      store.commit(batch, entry);
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

  public QueryResult query(Query query) {
    QueryResult.Builder result = QueryResult.newBuilder();
    try (Batch view = store.newBatch()) {
      switch (query.getBodyCase()) {
        case GET_ITEM -> result.setGetItem(queueQueries.getItem(view, query.getGetItem()));
        case QUEUE_STATS -> result.setQueueStats(queueQueries.stats(view));
        case DIGEST -> result.setDigest(digest());
        case BODY_NOT_SET -> throw Rejections.invalid("body", "query has no body");
      }
    } catch (Rejections.RejectedException rejected) {
      return QueryResult.newBuilder().setRejected(rejected.rejection()).build();
    }
    return result.build();
  }

  private DigestResult digest() {
    StateDigest digest = store.digest();
    return DigestResult.newBuilder()
        .setAppliedTerm(digest.applied().term())
        .setAppliedIndex(digest.applied().index())
        .setDigest(digest.sha256Hex())
        .build();
  }
}
