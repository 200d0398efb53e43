package org.ringrift.cluster.daemons.node;

import java.time.Duration;
import java.util.List;
import org.ringrift.cluster.daemons.Daemon;
import org.ringrift.cluster.daemons.DaemonContext;
import org.ringrift.cluster.daemons.LocalState;
import org.ringrift.cluster.proto.Event;
import org.ringrift.cluster.proto.Query;
import org.ringrift.cluster.proto.RecentEventsRequest;

/**
 * Delivers events, as this node applies them, to the local subscribers in the {@link EventHub}.
 * Reads this node's own state, so it works on followers and while there is no leader.
 */
public final class EventRouter implements Daemon {
  private static final int BATCH = 1000;

  private final LocalState state;
  private final EventHub hub;
  private final Duration interval;
  private long lastSeq = -1;

  public EventRouter(LocalState state, EventHub hub, Duration interval) {
    this.state = state;
    this.hub = hub;
    this.interval = interval;
  }

  @Override
  public void tick(DaemonContext context) throws Exception {
    if (lastSeq < 0) {
      List<Event> newest = read(0, 1);
      lastSeq = newest.isEmpty() ? 0 : newest.get(0).getSeq();
      return;
    }
    List<Event> events = read(lastSeq, BATCH);
    if (!events.isEmpty() && events.get(0).getSeq() > lastSeq + 1) {
      hub.missed(events.get(0).getSeq() - lastSeq - 1);
    }
    for (Event event : events) {
      hub.publish(event);
      lastSeq = event.getSeq();
    }
  }

  /** A snapshot being installed is not a crash: {@link LocalState} reports it as the cluster unavailable. */
  private List<Event> read(long afterSeq, int limit) throws Exception {
    return state.readLocal(Query.newBuilder().setRecentEvents(RecentEventsRequest.newBuilder()
        .setAfterSeq(afterSeq).setLimit(limit)).build()).getRecentEvents().getEventsList();
  }

  @Override
  public Duration interval() {
    return interval;
  }
}
