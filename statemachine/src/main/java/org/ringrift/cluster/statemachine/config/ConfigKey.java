package org.ringrift.cluster.statemachine.config;

/** One replicated config key: its default, its allowed range and what it means. */
public record ConfigKey(String name, long defaultValue, long min, long max, String description) {
  public ConfigKey {
    if (defaultValue < min || defaultValue > max) {
      throw new IllegalArgumentException(name + ": default " + defaultValue + " outside " + min + "-" + max);
    }
  }
}
