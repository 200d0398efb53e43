package org.ringrift.cluster.statemachine.events;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.List;
import org.ringrift.cluster.contract.names.ConfigKeys;
import org.ringrift.cluster.contract.names.EventTypes;
import org.ringrift.cluster.proto.Event;
import org.ringrift.cluster.proto.PublishEventRequest;
import org.ringrift.cluster.proto.RecentEventsRequest;
import org.ringrift.cluster.proto.RecentEventsResult;
import org.ringrift.cluster.statemachine.LogPosition;
import org.ringrift.cluster.statemachine.Meta;
import org.ringrift.cluster.statemachine.Rejections;
import org.ringrift.cluster.statemachine.config.ConfigStore;
import org.ringrift.cluster.statemachine.store.Batch;
import org.ringrift.cluster.statemachine.store.Bytes;
import org.ringrift.cluster.statemachine.store.Cursor;
import org.ringrift.cluster.statemachine.store.Family;
import org.ringrift.cluster.statemachine.store.MetaKeys;

/** The bounded replicated event log: appended by apply, trimmed to events.max_history. */
public final class EventLog {
  private static final int MAX_TEXT = 512;
  private static final int MAX_QUERY_LIMIT = 1000;

  private final Batch batch;
  private final Meta meta;
  private final ConfigStore config;
  private final LogPosition entry;
  private final long nowMs;
  private final long proposedTerm;

  public EventLog(Batch batch, Meta meta, ConfigStore config, LogPosition entry, long nowMs, long proposedTerm) {
    this.proposedTerm = proposedTerm;
    this.batch = batch;
    this.meta = meta;
    this.config = config;
    this.entry = entry;
    this.nowMs = nowMs;
  }

  public Event append(String type, String subject, String message) {
    long seq = meta.next(MetaKeys.NEXT_EVENT_SEQ);
    Event event = Event.newBuilder().setSeq(seq).setType(type).setTimeMs(nowMs).setTerm(entry.term())
        .setLogIndex(entry.index()).setProposedTerm(proposedTerm).setSubject(clip(subject)).setMessage(clip(message)).build();
    batch.put(Family.EVENTS, Bytes.encodeLong(seq), event.toByteArray());
    trim(seq);
    return event;
  }

  private void trim(long lastSeq) {
    long max = config.get(ConfigKeys.EVENTS_MAX_HISTORY);
    long first = Math.max(1, meta.read(MetaKeys.FIRST_EVENT_SEQ));
    long keepFrom = lastSeq - max + 1;
    for (long seq = first; seq < keepFrom; seq++) {
      batch.delete(Family.EVENTS, Bytes.encodeLong(seq));
    }
    meta.write(MetaKeys.FIRST_EVENT_SEQ, Math.max(first, keepFrom));
  }

  public static void checkPublish(PublishEventRequest request) {
    if (!EventTypes.PUBLISHABLE.contains(request.getType())) {
      throw Rejections.invalid("type", "clients may publish only " + EventTypes.PUBLISHABLE);
    }
    if (request.getSubject().length() > MAX_TEXT) {
      throw Rejections.invalid("subject", "is limited to " + MAX_TEXT + " characters");
    }
    if (request.getMessage().length() > MAX_TEXT) {
      throw Rejections.invalid("message", "is limited to " + MAX_TEXT + " characters");
    }
  }

  public static RecentEventsResult recent(Batch view, RecentEventsRequest request) {
    int limit = request.getLimit() == 0 ? 100 : request.getLimit();
    if (limit < 1 || limit > MAX_QUERY_LIMIT) {
      throw Rejections.invalid("limit", limit + " is out of range 1-" + MAX_QUERY_LIMIT);
    }
    List<Event> events = new ArrayList<>();
    try (Cursor cursor = view.seek(Family.EVENTS, Bytes.encodeLong(request.getAfterSeq() + 1))) {
      for (; cursor.valid(); cursor.next()) {
        Event event = decode(cursor.value());
        if (request.getType().isEmpty() || request.getType().equals(event.getType())) {
          events.add(event);
        }
      }
    }
    // The newest `limit`, oldest first: what a tail shows.
    List<Event> tail = events.subList(Math.max(0, events.size() - limit), events.size());
    return RecentEventsResult.newBuilder().addAllEvents(tail).build();
  }

  private static Event decode(byte[] raw) {
    try {
      return Event.parseFrom(raw);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("corrupt event in store", e);
    }
  }

  private static String clip(String text) {
    return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT);
  }
}
