package org.ringrift.cluster.daemons;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/** How to run one daemon: its name, where it runs, what it needs first, and how it is restarted. */
public record DaemonSpec(String name, Scope scope, List<String> dependsOn, RestartPolicy restart, Supplier<Daemon> factory) {
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");

  public enum Scope { LEADER, EVERY_NODE }

  /** Exponential backoff from {@code initialBackoff}, at most {@code maxRestartsPerHour} restarts. */
  public record RestartPolicy(Duration initialBackoff, Duration maxBackoff, int maxRestartsPerHour) {
    public static RestartPolicy defaults() {
      return new RestartPolicy(Duration.ofSeconds(1), Duration.ofMinutes(1), 3);
    }
  }

  public DaemonSpec {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("daemon name '" + name + "' must be snake case");
    }
    dependsOn = List.copyOf(dependsOn);
  }
}
