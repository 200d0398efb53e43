package org.ringrift.cluster.statemachine.leaders;

import com.google.protobuf.InvalidProtocolBufferException;
import org.ringrift.cluster.contract.names.EventTypes;
import org.ringrift.cluster.proto.LeaderHistoryRequest;
import org.ringrift.cluster.proto.LeaderHistoryResult;
import org.ringrift.cluster.proto.LeaderRecord;
import org.ringrift.cluster.proto.RecordLeaderRequest;
import org.ringrift.cluster.statemachine.ApplyContext;
import org.ringrift.cluster.statemachine.Rejections;
import org.ringrift.cluster.statemachine.nodes.NodeCommands;
import org.ringrift.cluster.statemachine.store.Batch;
import org.ringrift.cluster.statemachine.store.Bytes;
import org.ringrift.cluster.statemachine.store.Cursor;
import org.ringrift.cluster.statemachine.store.Family;

/**
 * Leader history: each ready leader records itself once for its term. The command is fenced, so
 * the term recorded is the term of the entry, and one term can never name two leaders.
 */
public final class LeaderCommands {
  private static final int MAX_LIMIT = 1000;

  public void check(RecordLeaderRequest request) {
    NodeCommands.nodeId("leader_id", request.getLeaderId());
  }

  public LeaderRecord record(ApplyContext ctx, RecordLeaderRequest request) {
    check(request);
    long term = ctx.entry().term();
    byte[] existing = ctx.batch().get(Family.LEADERS, Bytes.encodeLong(term));
    if (existing != null) {
      LeaderRecord recorded = decode(existing);
      if (!recorded.getLeaderId().equals(request.getLeaderId())) {
        throw Rejections.precondition("leader_id", "term " + term + " already has leader "
            + recorded.getLeaderId() + "; " + request.getLeaderId() + " cannot lead it too");
      }
      return recorded;
    }
    LeaderRecord record = LeaderRecord.newBuilder().setTerm(term).setLeaderId(request.getLeaderId())
        .setSinceMs(ctx.nowMs()).build();
    ctx.batch().put(Family.LEADERS, Bytes.encodeLong(term), record.toByteArray());
    ctx.events().append(EventTypes.LEADER_ELECTED, request.getLeaderId(), "leader of term " + term);
    return record;
  }

  public LeaderHistoryResult history(Batch view, LeaderHistoryRequest request) {
    int limit = request.getLimit() == 0 ? 100 : request.getLimit();
    if (limit < 1 || limit > MAX_LIMIT) {
      throw Rejections.invalid("limit", limit + " is out of range 1-" + MAX_LIMIT);
    }
    java.util.ArrayDeque<LeaderRecord> newest = new java.util.ArrayDeque<>();
    try (Cursor cursor = view.seek(Family.LEADERS, new byte[0])) {
      for (; cursor.valid(); cursor.next()) {
        newest.addFirst(decode(cursor.value()));
        if (newest.size() > limit) {
          newest.removeLast();
        }
      }
    }
    return LeaderHistoryResult.newBuilder().addAllLeaders(newest).build();
  }

  private static LeaderRecord decode(byte[] raw) {
    try {
      return LeaderRecord.parseFrom(raw);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("corrupt leader record in store", e);
    }
  }
}
