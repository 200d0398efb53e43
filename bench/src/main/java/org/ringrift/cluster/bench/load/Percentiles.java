package org.ringrift.cluster.bench.load;

import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** Latency percentiles in ms of one histogram of microseconds. */
record Percentiles(long count, double p50Ms, double p99Ms, double p999Ms, double maxMs) {
  static Percentiles of(Histogram micros) {
    if (micros.getTotalCount() == 0) {
      return new Percentiles(0, 0, 0, 0, 0);
    }
    return new Percentiles(micros.getTotalCount(), micros.getValueAtPercentile(50) / 1000.0,
        micros.getValueAtPercentile(99) / 1000.0, micros.getValueAtPercentile(99.9) / 1000.0,
        micros.getMaxValue() / 1000.0);
  }

  Map<String, Object> view() {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("count", count);
    view.put("p50", round(p50Ms));
    view.put("p99", round(p99Ms));
    view.put("p999", round(p999Ms));
    view.put("max", round(maxMs));
    return view;
  }

  static double round(double value) {
    return Math.round(value * 1000) / 1000.0;
  }
}
