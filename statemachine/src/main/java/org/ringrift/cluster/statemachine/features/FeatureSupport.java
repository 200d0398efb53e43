package org.ringrift.cluster.statemachine.features;

/**
 * The feature levels a binary can apply, {@code min..max}. A constant of the build, handed to the
 * state machine when it is made: apply reads no environment. {@link #capped} stands for an older
 * build in tests (rrnode --test-max-feature-level).
 */
public record FeatureSupport(int min, int max) {
  public FeatureSupport {
    if (min < 1 || max < min) {
      throw new IllegalArgumentException("feature levels " + min + "-" + max + ": need 1 <= min <= max");
    }
  }

  public FeatureSupport capped(int cap) {
    if (cap < min || cap > max) {
      throw new IllegalArgumentException("feature level cap " + cap + " is outside this build's range " + this);
    }
    return new FeatureSupport(min, cap);
  }

  public boolean supports(int level) {
    return level >= min && level <= max;
  }

  /** The form heartbeats and status use: {@code "1-2"}. */
  @Override
  public String toString() {
    return min + "-" + max;
  }

  /** Parses {@link #toString()}; throws IllegalArgumentException naming the text. */
  public static FeatureSupport parse(String text) {
    String[] parts = text.split("-", -1);
    if (parts.length != 2) {
      throw new IllegalArgumentException("feature levels '" + text + "': expected MIN-MAX");
    }
    try {
      return new FeatureSupport(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("feature levels '" + text + "': expected MIN-MAX", e);
    }
  }
}
