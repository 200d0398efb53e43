package org.ringrift.cluster.node.monitor;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import org.ringrift.cluster.daemons.DaemonManager;
import org.ringrift.cluster.daemons.DaemonState;
import org.ringrift.cluster.daemons.DaemonStatus;

/** The meters every rrnode process exports, member or worker-only: the JVM and its daemons. */
public final class ProcessMeters {
  private ProcessMeters() {}

  public static void bind(MeterRegistry registry, DaemonManager daemons) {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    for (DaemonStatus status : daemons.list()) {
      String name = status.name();
      Gauge.builder("ringrift_daemon_running", daemons,
          d -> d.status(name).map(s -> s.state() == DaemonState.RUNNING ? 1 : 0).orElse(0))
          .tags(Tags.of("daemon", name)).description("1 while the daemon runs on this node").register(registry);
      Gauge.builder("ringrift_daemon_failed", daemons,
          d -> d.status(name).map(s -> s.state() == DaemonState.FAILED ? 1 : 0).orElse(0))
          .tags(Tags.of("daemon", name)).description("1 while the daemon is FAILED (past its restart cap) on this node")
          .register(registry);
      FunctionCounter.builder("ringrift_daemon_restarts", daemons,
              d -> d.status(name).map(DaemonStatus::restarts).orElse(0))
          .tags(Tags.of("daemon", name)).description("crash restarts of the daemon since this process started")
          .register(registry);
    }
  }
}
