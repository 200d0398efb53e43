package org.ringrift.cluster.node.auth;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs and counts every refused call: one WARN line per call, and ringrift_auth_denied_total{method,role}. */
public final class DeniedCalls {
  private static final Logger LOG = LoggerFactory.getLogger(DeniedCalls.class);

  private final MeterRegistry registry;

  public DeniedCalls(MeterRegistry registry) {
    this.registry = registry;
  }

  public void record(String caller, String role, String method, String reason) {
    LOG.warn("auth denied caller={} role={} method={} reason={}", caller, role, method, reason);
    Counter.builder("ringrift.auth.denied").description("Admin and peer calls refused by authorization")
        .tag("method", method).tag("role", role).register(registry).increment();
  }
}
