package org.ringrift.cluster.cli;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/** Runs a blocking call on another thread and reports elapsed time while it runs (for progress lines). */
final class Ticking {
  private static final long TICK_MS = 250;

  private Ticking() {}

  static <T> T call(Supplier<T> blocking, LongConsumer elapsedMs) {
    CompletableFuture<T> result = CompletableFuture.supplyAsync(blocking);
    long start = System.nanoTime();
    while (true) {
      try {
        return result.get(TICK_MS, TimeUnit.MILLISECONDS);
      } catch (TimeoutException stillRunning) {
        elapsedMs.accept((System.nanoTime() - start) / 1_000_000);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof RuntimeException runtime) {
          throw runtime;
        }
        throw new IllegalStateException(e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        result.cancel(true);
        throw new IllegalStateException("interrupted");
      }
    }
  }
}
