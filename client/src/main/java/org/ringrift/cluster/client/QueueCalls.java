package org.ringrift.cluster.client;

import org.ringrift.cluster.contract.Endpoint;

import java.util.List;
import java.util.UUID;
import org.ringrift.cluster.proto.AnnotateItemRequest;
import org.ringrift.cluster.proto.CancelRequest;
import org.ringrift.cluster.proto.ClaimRequest;
import org.ringrift.cluster.proto.ClaimResult;
import org.ringrift.cluster.proto.CompleteRequest;
import org.ringrift.cluster.proto.EnqueueBatchRequest;
import org.ringrift.cluster.proto.EnqueueBatchResult;
import org.ringrift.cluster.proto.EnqueueRequest;
import org.ringrift.cluster.proto.EnqueueResult;
import org.ringrift.cluster.proto.ExtendRequest;
import org.ringrift.cluster.proto.FailRequest;
import org.ringrift.cluster.proto.GetItemRequest;
import org.ringrift.cluster.proto.ListItemsRequest;
import org.ringrift.cluster.proto.ListItemsResult;
import org.ringrift.cluster.proto.QueueStats;
import org.ringrift.cluster.proto.QueueStatsRequest;
import org.ringrift.cluster.proto.RedriveRequest;
import org.ringrift.cluster.proto.ReleaseRequest;
import org.ringrift.cluster.proto.SetPriorityRequest;
import org.ringrift.cluster.proto.StartRequest;
import org.ringrift.cluster.proto.WorkItem;

/**
 * The work queue's calls. Enqueues without an idempotency key get one, so moving on to another
 * node never enqueues twice; every other change is a session write.
 */
final class QueueCalls {
  private final LeaderCalls calls;
  private final SessionWrites writes;

  QueueCalls(LeaderCalls calls, SessionWrites writes) {
    this.calls = calls;
    this.writes = writes;
  }

  EnqueueResult enqueue(EnqueueRequest request) {
    EnqueueRequest keyed = keyed(request);
    return calls.read(stub -> stub.enqueue(keyed));
  }

  EnqueueBatchResult enqueueBatch(EnqueueBatchRequest request) {
    EnqueueBatchRequest.Builder keyed = request.toBuilder().clearItems();
    for (EnqueueRequest item : request.getItemsList()) {
      keyed.addItems(keyed(item));
    }
    EnqueueBatchRequest batch = keyed.build();
    return calls.read(stub -> stub.enqueueBatch(batch));
  }

  private static EnqueueRequest keyed(EnqueueRequest request) {
    return request.getIdempotencyKey().isEmpty()
        ? request.toBuilder().setIdempotencyKey("auto-" + UUID.randomUUID()).build()
        : request;
  }

  ClaimResult claim(ClaimRequest request) {
    return writes.write(stub -> stub.claim(request));
  }

  WorkItem complete(CompleteRequest request) {
    return writes.write(stub -> stub.complete(request)).getItem();
  }

  WorkItem extend(ExtendRequest request) {
    return writes.write(stub -> stub.extend(request)).getItem();
  }

  WorkItem start(StartRequest request) {
    return writes.write(stub -> stub.start(request)).getItem();
  }

  WorkItem fail(FailRequest request) {
    return writes.write(stub -> stub.fail(request)).getItem();
  }

  WorkItem release(ReleaseRequest request) {
    return writes.write(stub -> stub.release(request)).getItem();
  }

  WorkItem cancel(CancelRequest request) {
    return writes.write(stub -> stub.cancel(request)).getItem();
  }

  List<WorkItem> redrive(RedriveRequest request) {
    return writes.write(stub -> stub.redrive(request)).getItemsList();
  }

  /** Feature level 2: sets an item's operator note. */
  WorkItem annotateItem(String itemId, String note) {
    return writes.write(stub -> stub.annotateItem(AnnotateItemRequest.newBuilder()
        .setItemId(itemId).setNote(note).build())).getItem();
  }

  /** Feature level 3: a pending item's priority (0-100, higher first). */
  WorkItem setPriority(String itemId, int priority) {
    return writes.write(stub -> stub.setPriority(SetPriorityRequest.newBuilder()
        .setItemId(itemId).setPriority(priority).build())).getItem();
  }

  ListItemsResult listItems(ListItemsRequest request) {
    return calls.read(stub -> stub.listItems(request));
  }

  WorkItem getItem(String itemId) {
    return calls.read(stub -> stub.getItem(GetItemRequest.newBuilder().setItemId(itemId).build())).getItem();
  }

  QueueStats queueStats() {
    return calls.read(stub -> stub.getQueueStats(QueueStatsRequest.getDefaultInstance()));
  }

  /** One node's local queue counts, once it has caught up with the leader's commit index. */
  QueueStats queueStatsOf(Endpoint endpoint) {
    return calls.callOne(endpoint, stub -> stub.getQueueStats(QueueStatsRequest.getDefaultInstance()));
  }
}
