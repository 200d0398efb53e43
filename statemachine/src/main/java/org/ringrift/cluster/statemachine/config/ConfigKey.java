package org.ringrift.cluster.statemachine.config;

import java.util.function.Consumer;

/**
 * One replicated config key: its default, its allowed range and what it means. Most keys are
 * integers; a text key (a node selector, for example) has a text default and a check that
 * rejects a bad value with a clear error.
 */
public record ConfigKey(String name, long defaultValue, long min, long max, String description, String textDefault,
    Consumer<String> textCheck) {
  public ConfigKey {
    if (textCheck == null && (defaultValue < min || defaultValue > max)) {
      throw new IllegalArgumentException(name + ": default " + defaultValue + " outside " + min + "-" + max);
    }
    if (textCheck != null) {
      textCheck.accept(textDefault);
    }
  }

  public ConfigKey(String name, long defaultValue, long min, long max, String description) {
    this(name, defaultValue, min, max, description, null, null);
  }

  public static ConfigKey text(String name, String defaultValue, Consumer<String> check, String description) {
    return new ConfigKey(name, 0, 0, 0, description, defaultValue, check);
  }

  public boolean isText() {
    return textCheck != null;
  }
}
