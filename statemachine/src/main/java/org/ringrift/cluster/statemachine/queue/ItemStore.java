package org.ringrift.cluster.statemachine.queue;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.Optional;
import org.ringrift.cluster.proto.WorkItem;
import org.ringrift.cluster.statemachine.Rejections;
import org.ringrift.cluster.statemachine.store.Batch;
import org.ringrift.cluster.statemachine.store.Family;

/** Reads and writes work items by id within one batch. */
final class ItemStore {
  private final Batch batch;

  ItemStore(Batch batch) {
    this.batch = batch;
  }

  /** The item with this id; a malformed or unknown id is a rejection naming {@code field}. */
  WorkItem require(String field, String id) {
    return find(field, id).orElseThrow(() -> Rejections.notFound(field, "no item with id " + id));
  }

  Optional<WorkItem> find(String field, String id) {
    return bySeq(ItemIds.check(field, id));
  }

  Optional<WorkItem> bySeq(long seq) {
    byte[] raw = batch.get(Family.ITEMS, QueueKeys.item(seq));
    return raw == null ? Optional.empty() : Optional.of(decode(raw));
  }

  void put(WorkItem item) {
    batch.put(Family.ITEMS, QueueKeys.item(item.getEnqueueSeq()), item.toByteArray());
  }

  static WorkItem decode(byte[] raw) {
    try {
      return WorkItem.parseFrom(raw);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("corrupt work item in store", e);
    }
  }
}
