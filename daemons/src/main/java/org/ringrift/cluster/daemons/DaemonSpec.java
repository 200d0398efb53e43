package org.ringrift.cluster.daemons;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/** How to run one daemon: its name, where it runs, what it needs first, and how it is restarted. */
public record DaemonSpec(String name, Scope scope, List<String> dependsOn, RestartPolicy restart, Supplier<Daemon> factory) {
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");

  public enum Scope { LEADER, EVERY_NODE }

  /**
   * Exponential backoff from {@code initialBackoff}, at most {@code maxRestartsPerHour} restarts;
   * past that the daemon is FAILED and tried again once every {@code failedRetryInterval}.
   */
  public record RestartPolicy(Duration initialBackoff, Duration maxBackoff, int maxRestartsPerHour,
      Duration failedRetryInterval) {
    public static final Duration DEFAULT_FAILED_RETRY = Duration.ofMinutes(5);

    public RestartPolicy {
      positive("initialBackoff", initialBackoff);
      positive("maxBackoff", maxBackoff);
      positive("failedRetryInterval", failedRetryInterval);
      if (maxRestartsPerHour < 0) {
        throw new IllegalArgumentException("maxRestartsPerHour must be >= 0, got " + maxRestartsPerHour);
      }
    }

    /** With the default retry of a FAILED daemon, every 5 minutes. */
    public RestartPolicy(Duration initialBackoff, Duration maxBackoff, int maxRestartsPerHour) {
      this(initialBackoff, maxBackoff, maxRestartsPerHour, DEFAULT_FAILED_RETRY);
    }

    public static RestartPolicy defaults() {
      return new RestartPolicy(Duration.ofSeconds(1), Duration.ofMinutes(1), 3, DEFAULT_FAILED_RETRY);
    }

    /** The same backoff and cap, with FAILED daemons retried every {@code interval}. */
    public RestartPolicy withFailedRetryInterval(Duration interval) {
      return new RestartPolicy(initialBackoff, maxBackoff, maxRestartsPerHour, interval);
    }

    private static void positive(String field, Duration value) {
      if (value == null || value.isZero() || value.isNegative()) {
        throw new IllegalArgumentException("restart policy " + field + " must be positive, got " + value);
      }
    }
  }

  public DaemonSpec {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("daemon name '" + name + "' must be snake case");
    }
    dependsOn = List.copyOf(dependsOn);
  }
}
