package org.ringrift.cluster.daemons;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts daemons in dependency order and keeps them in the state they should be in: every-node
 * daemons run everywhere; leader daemons run only while this node is the ready leader, with the
 * term they were started in, and are in STANDBY elsewhere; a daemon disabled cluster-wide is
 * STOPPED everywhere. One watchdog per daemon lives in its {@link DaemonRunner}.
 */
public final class DaemonManager implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DaemonManager.class);

  private final List<DaemonSpec> order;
  private final Map<String, DaemonRunner> runners = new LinkedHashMap<>();
  private final LeadershipSource leadership;
  private final LongSupplier nanoTime;
  private final Map<String, Boolean> desired = new HashMap<>();
  private Leadership current = new Leadership(0, 0);
  private boolean started;

  public DaemonManager(List<DaemonSpec> specs, LeadershipSource leadership, Clock clock, LongSupplier nanoTime) {
    this.order = DaemonGraph.startOrder(specs);
    this.leadership = leadership;
    this.nanoTime = nanoTime;
    for (DaemonSpec spec : order) {
      runners.put(spec.name(), new DaemonRunner(spec, clock, this::onDaemonRunning));
    }
  }

  public synchronized void start() {
    if (started) {
      return;
    }
    started = true;
    current = leadership.current();
    reconcile();
    leadership.addListener(this::onLeadership);
    LOG.info("daemons started order={}", order.stream().map(DaemonSpec::name).toList());
  }

  private synchronized void onLeadership(Leadership next) {
    current = next;
    if (started) {
      reconcile();
    }
  }

  /** A daemon reached RUNNING: the daemons that depend on it may start now. */
  private synchronized void onDaemonRunning() {
    if (started) {
      reconcile();
    }
  }

  /** Applies the cluster-wide desired state (name -> enabled); names not given stay enabled. */
  public synchronized void applyDesired(Map<String, Boolean> enabledByName) {
    if (!enabledByName.equals(desired)) {
      desired.clear();
      desired.putAll(enabledByName);
      if (started) {
        reconcile();
      }
    }
  }

  /** Operator restart on this node: clears the crash history, then starts it if it should run. */
  public synchronized boolean restart(String name) {
    DaemonRunner runner = runners.get(name);
    if (runner == null) {
      return false;
    }
    runner.reset();
    reconcile();
    return true;
  }

  public synchronized List<DaemonStatus> list() {
    List<DaemonStatus> statuses = new ArrayList<>();
    for (DaemonSpec spec : order) {
      statuses.add(runners.get(spec.name()).status(enabled(spec.name())));
    }
    return Collections.unmodifiableList(statuses);
  }

  public synchronized Optional<DaemonStatus> status(String name) {
    DaemonRunner runner = runners.get(name);
    return runner == null ? Optional.empty() : Optional.of(runner.status(enabled(name)));
  }

  /** Brings every runner to the state the spec, leadership and desired state call for. */
  private void reconcile() {
    List<DaemonSpec> stopping = new ArrayList<>(order);
    Collections.reverse(stopping);
    for (DaemonSpec spec : stopping) {
      DaemonRunner runner = runners.get(spec.name());
      if (!enabled(spec.name())) {
        runner.stop(DaemonState.STOPPED);
      } else if (spec.scope() == DaemonSpec.Scope.LEADER && !current.isReadyLeader()) {
        runner.stop(DaemonState.STANDBY);
      }
    }
    for (DaemonSpec spec : order) {
      if (!enabled(spec.name()) || !dependenciesRunning(spec)) {
        continue;
      }
      DaemonRunner runner = runners.get(spec.name());
      if (spec.scope() == DaemonSpec.Scope.EVERY_NODE) {
        runner.start(DaemonContext.everyNode(nanoTime));
      } else if (current.isReadyLeader()) {
        runner.start(new DaemonContext(current.readyTerm(), current.readySinceNanos(), nanoTime));
      }
    }
  }

  /** Hard dependencies: a daemon starts only once everything it depends on is RUNNING. */
  private boolean dependenciesRunning(DaemonSpec spec) {
    return spec.dependsOn().stream().allMatch(d -> runners.get(d).state() == DaemonState.RUNNING);
  }

  private boolean enabled(String name) {
    return desired.getOrDefault(name, true);
  }

  @Override
  public synchronized void close() {
    List<DaemonSpec> stopping = new ArrayList<>(order);
    Collections.reverse(stopping);
    for (DaemonSpec spec : stopping) {
      runners.get(spec.name()).close();
    }
    LOG.info("daemons stopped");
  }
}
