package org.ringrift.cluster.bench.load;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closed-loop writers that run through every kill, remember each acknowledged key, and note the
 * first acknowledgement after a mark (set once the killed process is gone).
 */
final class SteadyWrites implements AutoCloseable {
  private final List<FailoverCluster.Writer> writers = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private final Set<String> acknowledged = Collections.synchronizedSet(new HashSet<>());
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicLong mark = new AtomicLong(Long.MAX_VALUE);
  private final AtomicLong firstAckAfterMark = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final int maxTracked;

  SteadyWrites(FailoverCluster cluster, int count, int maxTracked) {
    this.maxTracked = maxTracked;
    for (int w = 0; w < count; w++) {
      FailoverCluster.Writer writer = cluster.writer(w);
      writers.add(writer);
      Thread thread = new Thread(() -> loop(writer), "writer-" + w);
      threads.add(thread);
      thread.start();
    }
  }

  private void loop(FailoverCluster.Writer writer) {
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
      } catch (RuntimeException unavailable) {
        failures.incrementAndGet();
      }
    }
  }

  /** From now on, the next acknowledgement is recorded as the first one after this kill. */
  void mark() {
    firstAckAfterMark.set(0);
    mark.set(System.nanoTime());
  }

  long firstAckAfterMark() {
    return firstAckAfterMark.get();
  }

  long failures() {
    return failures.get();
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
