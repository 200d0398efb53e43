package org.ringrift.cluster.statemachine.queue;

import java.util.OptionalLong;
import org.ringrift.cluster.proto.GetItemRequest;
import org.ringrift.cluster.proto.GetItemResult;
import org.ringrift.cluster.proto.ListItemsRequest;
import org.ringrift.cluster.proto.ListItemsResult;
import org.ringrift.cluster.proto.QueueStats;
import org.ringrift.cluster.proto.WorkItem;
import org.ringrift.cluster.proto.WorkState;
import org.ringrift.cluster.proto.WorkType;
import org.ringrift.cluster.statemachine.Meta;
import org.ringrift.cluster.statemachine.Rejections;
import org.ringrift.cluster.statemachine.store.Batch;
import org.ringrift.cluster.statemachine.store.Cursor;
import org.ringrift.cluster.statemachine.store.Family;

/** Read-only queries of the work queue, over a batch that is never committed. */
public final class QueueQueries {
  private static final int DEFAULT_LIMIT = 100;
  private static final int MAX_LIMIT = 500;
  private static final int MAX_SCAN = 10_000;

  public GetItemResult getItem(Batch view, GetItemRequest request) {
    return GetItemResult.newBuilder()
        .setItem(new ItemStore(view).require("item_id", request.getItemId()))
        .build();
  }

  public QueueStats stats(Batch view) {
    return StateCounts.read(new Meta(view)).toBuilder()
        .setOldestLeaseExpiresMs(firstTime(view, Family.LEASES))
        .setOldestTerminalFinishedMs(firstTime(view, Family.TERMINAL))
        .build();
  }

  /** The time prefix of a family's first key: leases and terminal items are keyed (time, seq). */
  private static long firstTime(Batch view, Family family) {
    try (Cursor cursor = view.seek(family, new byte[0])) {
      return cursor.valid() ? QueueKeys.firstLong(cursor.key()) : 0;
    }
  }

  /**
   * Items in enqueue order after {@code after_id}, filtered by state and type. Scans at most
   * MAX_SCAN items per page; a page may come back short with a next id to continue from.
   */
  public ListItemsResult list(Batch view, ListItemsRequest request) {
    int limit = request.getLimit() == 0 ? DEFAULT_LIMIT : Validate.range("limit", request.getLimit(), 1, MAX_LIMIT);
    long afterSeq = 0;
    if (!request.getAfterId().isEmpty()) {
      afterSeq = ItemIds.check("after_id", request.getAfterId());
    }
    for (int state : request.getStatesValueList()) {
      if (state == WorkState.WORK_STATE_UNSPECIFIED_VALUE || WorkState.forNumber(state) == null) {
        throw Rejections.invalid("states", "unknown state " + state);
      }
    }
    if (request.getType() == WorkType.UNRECOGNIZED) {
      throw Rejections.invalid("type", "unknown work type " + request.getTypeValue());
    }
    WorkType type = request.getType();
    ListItemsResult.Builder result = ListItemsResult.newBuilder();
    OptionalLong lastSeen = OptionalLong.empty();
    try (Cursor cursor = view.seek(Family.ITEMS, QueueKeys.item(afterSeq + 1))) {
      for (int scanned = 0; cursor.valid() && result.getItemsCount() < limit && scanned < MAX_SCAN;
          cursor.next(), scanned++) {
        WorkItem item = ItemStore.decode(cursor.value());
        lastSeen = OptionalLong.of(item.getEnqueueSeq());
        boolean stateOk = request.getStatesCount() == 0 || request.getStatesList().contains(item.getState());
        boolean typeOk = type == WorkType.WORK_TYPE_UNSPECIFIED || type == item.getType();
        if (stateOk && typeOk) {
          result.addItems(item);
        }
      }
      if (cursor.valid() && lastSeen.isPresent()) {
        result.setNextAfterId(ItemIds.format(lastSeen.getAsLong()));
      }
    }
    return result.build();
  }
}
