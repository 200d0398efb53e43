package org.ringrift.cluster.bench.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The kernel's clock tick (getconf CLK_TCK), the unit of the CPU times in /proc/PID/task/TID/stat. */
final class ClockTicks {
  private static final Logger LOG = LoggerFactory.getLogger(ClockTicks.class);
  /** Linux's USER_HZ on every common architecture; used when getconf does not answer. */
  private static final long USUAL = 100;
  static final long PER_SECOND = perSecond();
  static final long NANOS_PER_TICK = TimeUnit.SECONDS.toNanos(1) / PER_SECOND;

  private ClockTicks() {}

  private static long perSecond() {
    try {
      Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
      if (getconf.waitFor(10, TimeUnit.SECONDS) && getconf.exitValue() == 0) {
        return Long.parseLong(out);
      }
      LOG.warn("getconf CLK_TCK failed output={}; assuming {} ticks/s", out, USUAL);
    } catch (IOException | NumberFormatException e) {
      LOG.warn("getconf CLK_TCK failed error={}; assuming {} ticks/s", e.toString(), USUAL);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return USUAL;
  }
}
