package org.ringrift.cluster.statemachine.queue;

import org.ringrift.cluster.proto.GetItemRequest;
import org.ringrift.cluster.proto.GetItemResult;
import org.ringrift.cluster.proto.QueueStats;
import org.ringrift.cluster.statemachine.Meta;
import org.ringrift.cluster.statemachine.store.Batch;

/** Read-only queries of the work queue, over a batch that is never committed. */
public final class QueueQueries {
  public GetItemResult getItem(Batch view, GetItemRequest request) {
    return GetItemResult.newBuilder()
        .setItem(new ItemStore(view).require("item_id", request.getItemId()))
        .build();
  }

  public QueueStats stats(Batch view) {
    return StateCounts.read(new Meta(view));
  }
}
