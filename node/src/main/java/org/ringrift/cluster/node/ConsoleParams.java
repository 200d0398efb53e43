package org.ringrift.cluster.node;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Query parameters, each checked with a message naming it and its limit. */
record ConsoleParams(Map<String, List<String>> values) {
  static final int MAX_LIMIT = 500;
  private static final int MAX_VALUE = 256;
  private static final int MAX_VALUES = 100;

  static final class BadParam extends RuntimeException {
    BadParam(String message) {
      super(message, null, false, false);
    }
  }

  Optional<String> optional(String name) {
    List<String> all = values.getOrDefault(name, List.of());
    if (all.isEmpty() || all.get(0).isBlank()) {
      return Optional.empty();
    }
    return Optional.of(check(name, all.get(0)));
  }

  String required(String name) {
    return optional(name).orElseThrow(() -> new BadParam(name + ": required"));
  }

  List<String> all(String name) {
    List<String> all = values.getOrDefault(name, List.of()).stream().filter(v -> !v.isBlank()).toList();
    if (all.isEmpty()) {
      throw new BadParam(name + ": give at least one");
    }
    if (all.size() > MAX_VALUES) {
      throw new BadParam(name + ": " + all.size() + " values, at most " + MAX_VALUES);
    }
    all.forEach(v -> check(name, v));
    return all;
  }

  int limit(int fallback) {
    long limit = longValue("limit", fallback);
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new BadParam("limit: " + limit + " is out of range 1-" + MAX_LIMIT);
    }
    return (int) limit;
  }

  long longValue(String name, long fallback) {
    Optional<String> text = optional(name);
    if (text.isEmpty()) {
      return fallback;
    }
    try {
      long value = Long.parseLong(text.get());
      if (value < 0) {
        throw new BadParam(name + ": " + value + " must be >= 0");
      }
      return value;
    } catch (NumberFormatException e) {
      throw new BadParam(name + ": '" + text.get() + "' is not a whole number");
    }
  }

  boolean bool(String name) {
    String text = required(name);
    return switch (text) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new BadParam(name + ": '" + text + "' is not true or false");
    };
  }

  <E extends Enum<E>> E enumValue(String name, String text, Class<E> type, String prefix) {
    String wanted = prefix + text.toUpperCase(Locale.ROOT);
    List<String> allowed = Arrays.stream(type.getEnumConstants()).map(Enum::name)
        .filter(n -> n.startsWith(prefix) && !n.endsWith("UNSPECIFIED"))
        .map(n -> n.substring(prefix.length()).toLowerCase(Locale.ROOT)).toList();
    return Arrays.stream(type.getEnumConstants()).filter(e -> e.name().equals(wanted) && allowed.contains(
        text.toLowerCase(Locale.ROOT))).findFirst()
        .orElseThrow(() -> new BadParam(name + ": '" + text + "' is not one of " + allowed));
  }

  private static String check(String name, String value) {
    if (value.length() > MAX_VALUE) {
      throw new BadParam(name + ": " + value.length() + " characters, at most " + MAX_VALUE);
    }
    return value;
  }
}
