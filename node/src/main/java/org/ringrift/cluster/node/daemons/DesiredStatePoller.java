package org.ringrift.cluster.node.daemons;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.ringrift.cluster.daemons.DaemonManager;
import org.ringrift.cluster.daemons.Proposals;
import org.ringrift.cluster.proto.DaemonDesired;
import org.ringrift.cluster.proto.ListDaemonDesiredRequest;
import org.ringrift.cluster.proto.Query;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads the cluster-wide desired state of the daemons (enabled or not) and hands it to this node's manager. */
public final class DesiredStatePoller implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DesiredStatePoller.class);

  private final Proposals proposals;
  private final DaemonManager manager;
  private final Duration interval;
  private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "daemon-desired-state");
    thread.setDaemon(true);
    return thread;
  });

  public DesiredStatePoller(Proposals proposals, DaemonManager manager, Duration interval) {
    this.proposals = proposals;
    this.manager = manager;
    this.interval = interval;
  }

  public void start() {
    poller.scheduleWithFixedDelay(this::poll, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void poll() {
    try {
      List<DaemonDesired> desired = proposals.read(Query.newBuilder()
          .setListDaemons(ListDaemonDesiredRequest.getDefaultInstance()).build()).getListDaemons().getDaemonsList();
      Map<String, Boolean> enabled = new LinkedHashMap<>();
      desired.forEach(d -> enabled.put(d.getName(), d.getEnabled()));
      manager.applyDesired(enabled);
    } catch (Exception e) {
      // No leader right now: keep the last known desired state and try again next poll.
      LOG.debug("desired daemon state not read: {}", e.toString());
    }
  }

  @Override
  public void close() {
    poller.shutdownNow();
  }
}
