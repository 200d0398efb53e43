package org.ringrift.cluster.statemachine.sync;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayDeque;
import org.ringrift.cluster.contract.names.ConfigKeys;
import org.ringrift.cluster.contract.names.EventTypes;
import org.ringrift.cluster.proto.PlanSyncRequest;
import org.ringrift.cluster.proto.SyncHistoryRequest;
import org.ringrift.cluster.proto.SyncHistoryResult;
import org.ringrift.cluster.proto.SyncRecord;
import org.ringrift.cluster.proto.SyncStatus;
import org.ringrift.cluster.proto.UpdateSyncRequest;
import org.ringrift.cluster.statemachine.ApplyContext;
import org.ringrift.cluster.statemachine.Rejections;
import org.ringrift.cluster.statemachine.nodes.NodeCommands;
import org.ringrift.cluster.statemachine.store.Batch;
import org.ringrift.cluster.statemachine.store.Bytes;
import org.ringrift.cluster.statemachine.store.Cursor;
import org.ringrift.cluster.statemachine.store.Family;
import org.ringrift.cluster.statemachine.store.MetaKeys;

/** Sync history: transfers planned by the leader and reported by the nodes that run them. */
public final class SyncCommands {
  private static final int MAX_TEXT = 512;
  private static final int MAX_LIMIT = 1000;
  private static final String PREFIX = "s-";

  public void check(PlanSyncRequest request) {
    text("dataset", request.getDataset(), true);
    text("file", request.getFile(), true);
    ManifestChecks.sha256("sha256", request.getSha256());
    ManifestChecks.datasetName("dataset", request.getDataset());
    ManifestChecks.filePath("file", request.getFile());
    if (request.getSizeBytes() < 0) {
      throw Rejections.invalid("size_bytes", "must be >= 0");
    }
    NodeCommands.nodeId("source_node", request.getSourceNode());
    NodeCommands.nodeId("target_node", request.getTargetNode());
  }

  public SyncRecord plan(ApplyContext ctx, PlanSyncRequest request) {
    check(request);
    long seq = ctx.meta().next(MetaKeys.NEXT_SYNC_SEQ);
    SyncRecord record = SyncRecord.newBuilder().setSyncId(PREFIX + seq).setSeq(seq).setDataset(request.getDataset())
        .setFile(request.getFile()).setSizeBytes(request.getSizeBytes()).setSha256(request.getSha256())
        .setSourceNode(request.getSourceNode()).setTargetNode(request.getTargetNode())
        .setStatus(SyncStatus.SYNC_STATUS_PLANNED).setPlannedMs(ctx.nowMs()).setUpdatedMs(ctx.nowMs()).build();
    ctx.batch().put(Family.SYNC, Bytes.encodeLong(seq), record.toByteArray());
    trim(ctx);
    return record;
  }

  public void check(UpdateSyncRequest request) {
    seq(request.getSyncId());
    if (request.getStatus() != SyncStatus.SYNC_STATUS_RUNNING && request.getStatus() != SyncStatus.SYNC_STATUS_DONE
        && request.getStatus() != SyncStatus.SYNC_STATUS_FAILED) {
      throw Rejections.invalid("status", "must be running, done or failed");
    }
    text("error", request.getError(), false);
    text("method", request.getMethod(), false);
  }

  public SyncRecord update(ApplyContext ctx, UpdateSyncRequest request) {
    check(request);
    byte[] key = Bytes.encodeLong(seq(request.getSyncId()));
    byte[] raw = ctx.batch().get(Family.SYNC, key);
    if (raw == null) {
      throw Rejections.notFound("sync_id", "no sync " + request.getSyncId());
    }
    SyncRecord record = decode(raw);
    if (record.getStatus() == SyncStatus.SYNC_STATUS_DONE || record.getStatus() == SyncStatus.SYNC_STATUS_FAILED) {
      throw Rejections.precondition("sync_id", "sync " + request.getSyncId() + " already finished");
    }
    SyncRecord.Builder next = record.toBuilder().setStatus(request.getStatus()).setBytesDone(request.getBytesDone())
        .setError(request.getError()).setMethod(request.getMethod()).setUpdatedMs(ctx.nowMs());
    switch (request.getStatus()) {
      case SYNC_STATUS_RUNNING -> {
        if (record.getStartedMs() == 0) {
          next.setStartedMs(ctx.nowMs());
          ctx.events().append(EventTypes.DATA_SYNC_STARTED, record.getSyncId(), record.getFile() + " "
              + record.getSourceNode() + " -> " + record.getTargetNode());
        }
      }
      case SYNC_STATUS_DONE -> {
        next.setFinishedMs(ctx.nowMs());
        ctx.events().append(EventTypes.DATA_SYNC_COMPLETED, record.getSyncId(), record.getFile());
      }
      default -> {
        next.setFinishedMs(ctx.nowMs());
        ctx.events().append(EventTypes.DATA_SYNC_FAILED, record.getSyncId(), request.getError());
      }
    }
    SyncRecord updated = next.build();
    ctx.batch().put(Family.SYNC, key, updated.toByteArray());
    return updated;
  }

  public SyncHistoryResult history(Batch view, SyncHistoryRequest request) {
    int limit = request.getLimit() == 0 ? 100 : request.getLimit();
    if (limit < 1 || limit > MAX_LIMIT) {
      throw Rejections.invalid("limit", limit + " is out of range 1-" + MAX_LIMIT);
    }
    ArrayDeque<SyncRecord> newest = new ArrayDeque<>();
    try (Cursor cursor = view.seek(Family.SYNC, new byte[0])) {
      for (; cursor.valid(); cursor.next()) {
        SyncRecord record = decode(cursor.value());
        boolean nodeOk = request.getNode().isEmpty() || request.getNode().equals(record.getSourceNode())
            || request.getNode().equals(record.getTargetNode());
        boolean statusOk = request.getStatus() == SyncStatus.SYNC_STATUS_UNSPECIFIED
            || request.getStatus() == record.getStatus();
        if (nodeOk && statusOk) {
          newest.addFirst(record);
          if (newest.size() > limit) {
            newest.removeLast();
          }
        }
      }
    }
    return SyncHistoryResult.newBuilder().addAllRecords(newest).build();
  }

  private static void trim(ApplyContext ctx) {
    long max = ctx.config().get(ConfigKeys.SYNC_MAX_HISTORY);
    long count = ctx.meta().add(MetaKeys.SYNC_COUNT, 1);
    if (count <= max) {
      return;
    }
    try (Cursor cursor = ctx.batch().seek(Family.SYNC, new byte[0])) {
      for (; cursor.valid() && count > max; cursor.next()) {
        ctx.batch().delete(Family.SYNC, cursor.key());
        count--;
      }
    }
    ctx.meta().write(MetaKeys.SYNC_COUNT, count);
  }

  private static long seq(String syncId) {
    if (!syncId.startsWith(PREFIX)) {
      throw Rejections.invalid("sync_id", "must look like s-<number>");
    }
    try {
      long seq = Long.parseLong(syncId.substring(PREFIX.length()));
      if (seq < 1) {
        throw new NumberFormatException();
      }
      return seq;
    } catch (NumberFormatException e) {
      throw Rejections.invalid("sync_id", "must look like s-<number>");
    }
  }

  private static void text(String field, String value, boolean required) {
    if (required && value.isEmpty()) {
      throw Rejections.invalid(field, "is required");
    }
    if (value.length() > MAX_TEXT) {
      throw Rejections.invalid(field, "length " + value.length() + " is over the limit of " + MAX_TEXT);
    }
  }

  private static SyncRecord decode(byte[] raw) {
    try {
      return SyncRecord.parseFrom(raw);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("corrupt sync record in store", e);
    }
  }
}
