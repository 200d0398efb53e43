package org.ringrift.cluster.bench.load;

import java.time.Duration;
import java.util.List;

/**
 * When a warm-up counts as settled: the last {@link #SETTLE_WINDOWS} windows' values (throughput)
 * have max / min at most {@code tolerance} and neither rise nor fall window by window (a steady
 * climb of a few per cent per window is a JVM still compiling, not a plateau; so is a steady fall
 * of CPU per call), and in each of them the node JVMs' JIT compiler threads used at most
 * {@code maxJitPct} % of the cluster's CPU: throughput alone plateaus between compilations (seen:
 * three flat windows at 130 ops/s with the compilers at a third of the CPU, then runs at 180-285).
 * It gives up after {@code max} and says so. A {@code max} of zero turns the warm-up off.
 */
record WarmupSettings(Duration max, Duration window, double tolerance, double maxJitPct) {
  static final int SETTLE_WINDOWS = 3;
  /** A bound on the windows one warm-up records, whatever their length turns out to be. */
  static final int MAX_WINDOWS = 1000;
  static final Duration MAX_MAX = Duration.ofMinutes(30);
  static final Duration MIN_WINDOW = Duration.ofMillis(100);
  static final Duration MAX_WINDOW = Duration.ofSeconds(60);
  static final double MAX_TOLERANCE = 2.0;

  void validate(String prefix) {
    Rrbench.check(prefix + "-max", !max.isNegative() && max.compareTo(MAX_MAX) <= 0, "0s..30m");
    Rrbench.check(prefix + "-window", window.compareTo(MIN_WINDOW) >= 0 && window.compareTo(MAX_WINDOW) <= 0,
        "100ms..60s");
    Rrbench.check(prefix + "-tolerance", tolerance > 1.0 && tolerance <= MAX_TOLERANCE,
        "over 1.0 and at most " + MAX_TOLERANCE);
    Rrbench.check(prefix + "-jit-pct", maxJitPct >= 0 && maxJitPct <= 100, "0..100");
  }

  boolean off() {
    return max.isZero();
  }

  /** Whether the last windows of {@code values} lie within the tolerance (none zero) without a trend. */
  boolean settled(List<Double> values) {
    if (values.size() < SETTLE_WINDOWS) {
      return false;
    }
    List<Double> last = values.subList(values.size() - SETTLE_WINDOWS, values.size());
    double min = last.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    double max = last.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    return min > 0 && max / min <= tolerance && !trend(last);
  }

  /**
   * Whether the JIT compilers were quiet in each of the last windows; a window without a
   * measurement (a cluster rrbench did not start) does not hold the warm-up back.
   */
  boolean compilersQuiet(List<Double> jitPct) {
    if (jitPct.size() < SETTLE_WINDOWS) {
      return false;
    }
    return jitPct.subList(jitPct.size() - SETTLE_WINDOWS, jitPct.size()).stream()
        .allMatch(pct -> pct == null || pct <= maxJitPct);
  }

  /** Strictly rising or strictly falling from window to window. */
  private static boolean trend(List<Double> values) {
    boolean rising = true;
    boolean falling = true;
    for (int i = 1; i < values.size(); i++) {
      rising &= values.get(i) > values.get(i - 1);
      falling &= values.get(i) < values.get(i - 1);
    }
    return rising || falling;
  }
}
