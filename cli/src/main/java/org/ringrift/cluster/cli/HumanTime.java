package org.ringrift.cluster.cli;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Times as people read them in tables; json output keeps the milliseconds. */
final class HumanTime {
  private HumanTime() {}

  /** 850ms, 42s, 3m12s, 2h05m, 3d04h: the two largest units, enough to compare at a glance. */
  static String duration(long millis) {
    if (millis < 0) {
      throw new IllegalArgumentException("duration " + millis + " ms is negative");
    }
    if (millis < 1_000) {
      return millis + "ms";
    }
    long seconds = millis / 1_000;
    if (seconds < 60) {
      return seconds + "s";
    }
    long minutes = seconds / 60;
    if (minutes < 60) {
      return minutes + "m" + two(seconds % 60) + "s";
    }
    long hours = minutes / 60;
    if (hours < 24) {
      return hours + "h" + two(minutes % 60) + "m";
    }
    return hours / 24 + "d" + two(hours % 24) + "h";
  }

  /** UTC to the second, e.g. 2026-12-04T10:15:30Z. */
  static String iso(long epochMillis) {
    return Instant.ofEpochMilli(epochMillis).truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private static String two(long value) {
    return value < 10 ? "0" + value : Long.toString(value);
  }
}
