package org.ringrift.cluster.bench.load;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Closed-loop writers that run through every kill, remember each acknowledged key, and note the
 * first acknowledgement after a mark (set once the killed process is gone). Every write is
 * counted in the window of the last mark before it returned (window 0: before the first kill,
 * window k: after kill k), so that outcomes and double applies can be charged to a kill.
 */
final class SteadyWrites implements AutoCloseable {
  /** Windows counted at most: one per kill plus the one before the first. */
  private final int maxWindows;
  private final List<FailoverCluster.Writer> writers = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private final Set<String> acknowledged = Collections.synchronizedSet(new HashSet<>());
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicLong mark = new AtomicLong(Long.MAX_VALUE);
  private final AtomicLong firstAckAfterMark = new AtomicLong();
  private final AtomicInteger window = new AtomicInteger();
  private final AtomicLong failures = new AtomicLong();
  private final AtomicLongArray unknownByWindow;
  /** Per writer, the first write number that returned in each window (-1: none yet). */
  private final List<AtomicLongArray> firstWriteOfWindow = new ArrayList<>();
  private final int maxTracked;

  SteadyWrites(FailoverCluster cluster, int count, int maxTracked, int kills) {
    this.maxTracked = maxTracked;
    this.maxWindows = kills + 1;
    this.unknownByWindow = new AtomicLongArray(maxWindows);
    for (int w = 0; w < count; w++) {
      FailoverCluster.Writer writer = cluster.writer(w);
      writers.add(writer);
      AtomicLongArray starts = new AtomicLongArray(maxWindows);
      for (int k = 0; k < maxWindows; k++) {
        starts.set(k, -1);
      }
      firstWriteOfWindow.add(starts);
      Thread thread = new Thread(() -> loop(writer, starts), "writer-" + w);
      threads.add(thread);
    }
    threads.forEach(Thread::start);
  }

  private void loop(FailoverCluster.Writer writer, AtomicLongArray starts) {
    for (long n = 0; running.get(); n++) {
      try {
        String key = writer.write(n);
        long now = System.nanoTime();
        if (now > mark.get()) {
          firstAckAfterMark.compareAndSet(0, now);
        }
        acknowledged.add(key);
        if (acknowledged.size() >= maxTracked) {
          running.set(false);
        }
      } catch (RuntimeException failed) {
        failures.incrementAndGet();
        if (writer.outcomeUnknown(failed)) {
          unknownByWindow.incrementAndGet(window.get());
        }
      } finally {
        starts.compareAndSet(window.get(), -1, n);
      }
    }
  }

  /** From now on, the next acknowledgement is recorded as the first one after this kill. */
  void mark() {
    firstAckAfterMark.set(0);
    window.updateAndGet(k -> Math.min(k + 1, maxWindows - 1));
    mark.set(System.nanoTime());
  }

  long firstAckAfterMark() {
    return firstAckAfterMark.get();
  }

  long failures() {
    return failures.get();
  }

  /** Writes that failed without a definite answer, in window {@code k}. */
  long outcomeUnknown(int k) {
    return unknownByWindow.get(k);
  }

  int windows() {
    return maxWindows;
  }

  /** The window in which write {@code n} of writer {@code writer} returned. */
  int windowOf(int writer, long n) {
    AtomicLongArray starts = firstWriteOfWindow.get(writer);
    int found = 0;
    for (int k = 0; k < maxWindows; k++) {
      long first = starts.get(k);
      if (first >= 0 && first <= n) {
        found = k;
      }
    }
    return found;
  }

  boolean limitReached() {
    return !running.get();
  }

  Set<String> stopAndGetAcknowledged() throws InterruptedException {
    running.set(false);
    for (Thread thread : threads) {
      thread.join();
    }
    synchronized (acknowledged) {
      return new HashSet<>(acknowledged);
    }
  }

  @Override
  public void close() throws InterruptedException {
    stopAndGetAcknowledged();
    writers.forEach(FailoverCluster.Writer::close);
  }
}
