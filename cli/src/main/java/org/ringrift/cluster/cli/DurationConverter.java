package org.ringrift.cluster.cli;

import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses 250ms, 5s, 2m. */
final class DurationConverter implements ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    try {
      if (value.endsWith("ms")) {
        return positive(Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2))));
      }
      if (value.endsWith("s")) {
        return positive(Duration.ofSeconds(Long.parseLong(value.substring(0, value.length() - 1))));
      }
      if (value.endsWith("m")) {
        return positive(Duration.ofMinutes(Long.parseLong(value.substring(0, value.length() - 1))));
      }
    } catch (NumberFormatException e) {
      // fall through to the error below
    }
    throw new TypeConversionException("'" + value + "' is not a duration such as 500ms, 5s or 1m");
  }

  private static Duration positive(Duration d) {
    if (d.isZero() || d.isNegative()) {
      throw new TypeConversionException("duration must be positive");
    }
    return d;
  }
}
