package org.ringrift.cluster.node.options;

import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Picocli converters for durations and sizes. A bare number keeps the unit its option name has
 * always meant ({@code --heartbeat-ms 15000}, {@code --sync-disk-reserve-mb 1024}), so existing
 * scripts and config files keep working; a suffix says the unit outright ({@code 15s}, {@code 1GiB}).
 */
public final class Units {
  private static final Pattern NUMBER = Pattern.compile("(-?\\d+)\\s*([A-Za-z]*)");
  private static final Map<String, Long> MILLIS = Map.of("ms", 1L, "s", 1000L, "m", 60_000L, "h", 3_600_000L,
      "d", 86_400_000L);
  private static final Map<String, Long> BYTES = Map.of("B", 1L, "KiB", 1L << 10, "MiB", 1L << 20, "GiB", 1L << 30);

  private Units() {}

  /** A duration; a bare number is milliseconds. */
  public static final class Millis implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      return Duration.ofMillis(scaled(value, 1, MILLIS, "a duration such as 500ms, 10s, 2m or 1h"));
    }
  }

  /** A size; a bare number is bytes. */
  public static final class Bytes implements ITypeConverter<DataSize> {
    @Override
    public DataSize convert(String value) {
      return new DataSize(scaled(value, 1, BYTES, "a size such as 65536, 64KiB, 8MiB or 1GiB"));
    }
  }

  /** A size; a bare number is mebibytes. */
  public static final class Mebibytes implements ITypeConverter<DataSize> {
    @Override
    public DataSize convert(String value) {
      return new DataSize(scaled(value, 1L << 20, BYTES, "a size such as 1024 (MiB), 512MiB or 2GiB"));
    }
  }

  static long scaled(String value, long bareUnit, Map<String, Long> units, String expected) {
    Matcher m = NUMBER.matcher(value.trim());
    if (m.matches()) {
      Long unit = m.group(2).isEmpty() ? Long.valueOf(bareUnit) : units.get(m.group(2));
      if (unit != null) {
        try {
          return Math.multiplyExact(Long.parseLong(m.group(1)), unit);
        } catch (ArithmeticException | NumberFormatException e) {
          throw new TypeConversionException("'" + value + "' is too large");
        }
      }
    }
    throw new TypeConversionException("'" + value + "' is not " + expected);
  }
}
