package org.ringrift.cluster.daemons.node;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.ringrift.cluster.proto.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local subscribers of applied events. Outlives the event router's restarts. A subscriber
 * that throws is counted and skipped; it never blocks the others.
 */
public final class EventHub {
  private static final Logger LOG = LoggerFactory.getLogger(EventHub.class);

  private final List<Consumer<Event>> subscribers = new CopyOnWriteArrayList<>();
  private final AtomicLong handlerFailures = new AtomicLong();
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong missed = new AtomicLong();

  /** Subscribes to events applied from now on; returns the unsubscribe action. */
  public Runnable subscribe(Consumer<Event> subscriber) {
    subscribers.add(subscriber);
    return () -> subscribers.remove(subscriber);
  }

  void publish(Event event) {
    for (Consumer<Event> subscriber : subscribers) {
      try {
        subscriber.accept(event);
        delivered.incrementAndGet();
      } catch (RuntimeException e) {
        handlerFailures.incrementAndGet();
        LOG.debug("event handler failed seq={} error={}", event.getSeq(), e.toString());
      }
    }
  }

  /** Events trimmed from the bounded log before the router read them. */
  void missed(long count) {
    missed.addAndGet(count);
  }

  public long handlerFailures() {
    return handlerFailures.get();
  }

  public long delivered() {
    return delivered.get();
  }

  public long missed() {
    return missed.get();
  }
}
