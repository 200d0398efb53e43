package org.ringrift.cluster.node;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.ringrift.cluster.contract.views.Views;
import org.ringrift.cluster.node.admin.EventAdmin;
import org.ringrift.cluster.node.admin.QueueAdmin;
import org.ringrift.cluster.proto.CancelRequest;
import org.ringrift.cluster.proto.Event;
import org.ringrift.cluster.proto.GetItemRequest;
import org.ringrift.cluster.proto.ListItemsRequest;
import org.ringrift.cluster.proto.QueueStatsRequest;
import org.ringrift.cluster.proto.RecentEventsRequest;
import org.ringrift.cluster.proto.RedriveRequest;
import org.ringrift.cluster.proto.WorkItem;
import org.ringrift.cluster.proto.WorkState;
import org.ringrift.cluster.proto.WorkType;

/** The console's queue page: stats, a filtered page of items, one item with its events, cancel and redrive. */
final class ConsoleQueuePage {
  private static final int ITEM_HISTORY_SCAN = 1000;

  private final QueueAdmin queue;
  private final EventAdmin events;

  ConsoleQueuePage(QueueAdmin queue, EventAdmin events) {
    this.queue = queue;
    this.events = events;
  }

  CompletableFuture<ConsoleAnswer> stats() {
    return ConsoleCalls.call(queue::getQueueStats, QueueStatsRequest.getDefaultInstance()).thenApply(s -> {
      Map<String, Object> m = Views.queueStats(s);
      m.put("time_ms", System.currentTimeMillis());
      return ConsoleAnswer.ok(m);
    });
  }

  CompletableFuture<ConsoleAnswer> items(ConsoleParams p) {
    ListItemsRequest.Builder request = ListItemsRequest.newBuilder().setLimit(p.limit(50))
        .setAfterId(p.optional("after").orElse(""));
    p.optional("state").ifPresent(state -> request.addStates(p.enumValue("state", state, WorkState.class, "WORK_STATE_")));
    p.optional("type").ifPresent(type -> request.setType(p.enumValue("type", type, WorkType.class, "WORK_TYPE_")));
    Optional<String> worker = p.optional("worker");
    Optional<String> text = p.optional("q");
    return ConsoleCalls.call(queue::listItems, request.build()).thenApply(r -> {
      List<WorkItem> page = r.getItemsList().stream()
          .filter(i -> worker.isEmpty() || i.getClaimedBy().contains(worker.get()) || i.getClaimedNode().contains(worker.get()))
          .filter(i -> text.isEmpty() || i.getId().contains(text.get()))
          .toList();
      Map<String, Object> body = Views.items(page);
      body.put("next_after_id", r.getNextAfterId().isEmpty() ? null : r.getNextAfterId());
      body.put("scanned", r.getItemsCount());
      return ConsoleAnswer.ok(body);
    });
  }

  CompletableFuture<ConsoleAnswer> item(String id) {
    CompletableFuture<List<Event>> history = ConsoleCalls.call(events::recentEvents,
        RecentEventsRequest.newBuilder().setLimit(ITEM_HISTORY_SCAN).build())
        .thenApply(r -> r.getEventsList().stream().filter(e -> e.getSubject().equals(id)).toList());
    return ConsoleCalls.call(queue::getItem, GetItemRequest.newBuilder().setItemId(id).build())
        .thenCombine(history, (r, itemEvents) -> {
          if (!r.hasItem()) {
            return ConsoleAnswer.error(404, "NOT_FOUND", "id: no item '" + id + "'");
          }
          Map<String, Object> body = new LinkedHashMap<>();
          body.put("item", Views.item(r.getItem()));
          body.put("events", itemEvents.stream().map(Views::event).toList());
          body.put("events_scanned", ITEM_HISTORY_SCAN);
          return ConsoleAnswer.ok(body);
        });
  }

  CompletableFuture<ConsoleAnswer> redrive(ConsoleParams p) {
    return ConsoleCalls.call(queue::redrive, RedriveRequest.newBuilder().addAllItemIds(p.all("id")).build())
        .thenApply(r -> ConsoleAnswer.ok(Views.items(r.getItemsList())));
  }

  CompletableFuture<ConsoleAnswer> cancel(ConsoleParams p) {
    return ConsoleCalls.call(queue::cancel, CancelRequest.newBuilder().setItemId(p.required("id"))
        .setReason(p.optional("reason").orElse("cancelled from the console")).build())
        .thenApply(r -> ConsoleAnswer.ok(Views.item(r.getItem())));
  }
}
