package org.ringrift.cluster.daemons.node;

import java.time.Duration;
import java.util.List;
import org.ringrift.cluster.daemons.ClusterUnavailableException;
import org.ringrift.cluster.daemons.Daemon;
import org.ringrift.cluster.daemons.DaemonContext;
import org.ringrift.cluster.proto.Event;
import org.ringrift.cluster.proto.Query;
import org.ringrift.cluster.proto.RecentEventsRequest;
import org.ringrift.cluster.raft.ReplicatedClient;

/**
 * Delivers events, as this node applies them, to the local subscribers in the {@link EventHub}.
 * Reads this node's own state, so it works on followers and while there is no leader.
 */
public final class EventRouter implements Daemon {
  private static final int BATCH = 1000;

  private final ReplicatedClient client;
  private final EventHub hub;
  private final Duration interval;
  private long lastSeq = -1;

  public EventRouter(ReplicatedClient client, EventHub hub, Duration interval) {
    this.client = client;
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

  private List<Event> read(long afterSeq, int limit) throws Exception {
    try {
      return client.readLocal(Query.newBuilder().setRecentEvents(RecentEventsRequest.newBuilder()
          .setAfterSeq(afterSeq).setLimit(limit)).build()).getRecentEvents().getEventsList();
    } catch (org.ringrift.cluster.raft.StateUnavailableException e) {
      // A snapshot is being installed: wait, this is not a crash.
      throw new ClusterUnavailableException(e.getMessage(), e);
    }
  }

  @Override
  public Duration interval() {
    return interval;
  }
}
