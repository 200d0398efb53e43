package org.ringrift.cluster.cli;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Table cells for people: times in ISO 8601 (UTC), durations and sizes in units, nested values
 * as "key: value" text. Keys say the unit (..._ms, ..._us, ...bytes); JSON output keeps the numbers.
 */
final class Cells {
  /** Milliseconds at or after 2001-09-09: a point in time, not a duration. */
  private static final long EPOCH_MS_FLOOR = 1_000_000_000_000L;

  private Cells() {}

  /** The column title: upper case, without the unit suffix the cell no longer needs. */
  static String header(String key) {
    return bare(key).toUpperCase(Locale.ROOT);
  }

  static String text(String key, Object value) {
    if (value == null) {
      return "-";
    }
    if (value instanceof Map<?, ?> map) {
      return map.isEmpty() ? "-" : map.entrySet().stream()
          .map(e -> bare(e.getKey().toString()) + ": " + text(e.getKey().toString(), e.getValue()))
          .collect(Collectors.joining(", "));
    }
    if (value instanceof List<?> list) {
      return list.isEmpty() ? "-" : list.stream().map(v -> text(key, v)).collect(Collectors.joining("; "));
    }
    if (value instanceof Number number && (value instanceof Long || value instanceof Integer)) {
      return number(key, number.longValue());
    }
    return value.toString();
  }

  private static String number(String key, long value) {
    if (key.endsWith("_ms")) {
      if (value >= EPOCH_MS_FLOOR) {
        return HumanTime.iso(value);
      }
      if (value == 0 && isPointInTime(key)) {
        return "-";
      }
      return value < 0 ? Long.toString(value) : HumanTime.duration(value);
    }
    if (key.endsWith("_us")) {
      return value < 0 ? Long.toString(value) : value < 1_000 ? value + "us" : HumanTime.duration(value / 1_000);
    }
    if (key.endsWith("bytes") || key.equals("bytes_done")) {
      return bytes(value);
    }
    return Long.toString(value);
  }

  /** A point-in-time field, whose 0 means "never" or "none" (until, since, heartbeat, ... time). */
  private static boolean isPointInTime(String key) {
    return key.contains("until") || key.contains("since") || key.contains("heartbeat") || key.contains("time")
        || key.endsWith("_at_ms") || key.contains("first") || key.contains("expires");
  }

  static String bytes(long value) {
    if (value < 1024) {
      return value + "B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double scaled = value;
    int unit = -1;
    while (scaled >= 1024 && unit < units.length - 1) {
      scaled /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f%s", scaled, units[unit]);
  }

  private static String bare(String key) {
    if (key.endsWith("_ms") || key.endsWith("_us")) {
      return key.substring(0, key.length() - 3);
    }
    return key;
  }
}
