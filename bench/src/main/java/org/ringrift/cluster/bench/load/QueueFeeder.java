package org.ringrift.cluster.bench.load;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.ringrift.cluster.client.ClusterClient;
import org.ringrift.cluster.client.ClusterException;
import org.ringrift.cluster.proto.EnqueueBatchRequest;
import org.ringrift.cluster.proto.EnqueueRequest;
import org.ringrift.cluster.proto.WorkType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the queue ahead of the workers: one thread enqueues batches whenever the items it enqueued
 * minus the items workers claimed fall below the backlog, so claims never find the queue empty
 * and the queue never grows past backlog + one batch.
 */
final class QueueFeeder implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(QueueFeeder.class);
  /** The queue's largest enqueue batch (QueueLimits.maxBatchSize). */
  static final int BATCH = 100;
  private static final long IDLE_MS = 10;
  private static final long ERROR_BACKOFF_MS = 200;
  private static final int LOGGED_ERRORS = 3;

  private final ClusterClient client;
  private final int backlog;
  private final EnqueueRequest item;
  private final AtomicLong enqueued = new AtomicLong();
  private final AtomicLong claimed = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private final Thread thread;
  private volatile boolean running = true;

  QueueFeeder(ClusterClient client, int backlog, byte[] payload) {
    this.client = client;
    this.backlog = backlog;
    this.item = EnqueueRequest.newBuilder().setType(WorkType.WORK_TYPE_SELFPLAY)
        .setPayload(ByteString.copyFrom(payload)).build();
    this.thread = new Thread(this::loop, "rrbench-feeder");
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** Workers report each item they claimed. */
  void claimed(long items) {
    claimed.addAndGet(items);
  }

  long outstanding() {
    return enqueued.get() - claimed.get();
  }

  long errors() {
    return errors.get();
  }

  /** Waits until the first backlog is in the queue, before any worker starts. */
  void awaitBacklog(Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (outstanding() < backlog) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the feeder enqueued only " + outstanding() + " of " + backlog
            + " items within " + limit.toSeconds() + " s (" + errors.get() + " failed batches)");
      }
      Thread.sleep(IDLE_MS);
    }
  }

  private void loop() {
    while (running) {
      long missing = backlog - outstanding();
      try {
        if (missing <= 0) {
          Thread.sleep(IDLE_MS);
          continue;
        }
        int count = (int) Math.min(BATCH, missing);
        EnqueueBatchRequest.Builder batch = EnqueueBatchRequest.newBuilder();
        for (int i = 0; i < count; i++) {
          batch.addItems(item);
        }
        client.enqueueBatch(batch.build());
        enqueued.addAndGet(count);
      } catch (InterruptedException e) {
        return;
      } catch (ClusterException e) {
        if (errors.incrementAndGet() <= LOGGED_ERRORS) {
          LOG.warn("enqueue batch failed error={}", e.getMessage());
        }
        try {
          Thread.sleep(ERROR_BACKOFF_MS);
        } catch (InterruptedException stop) {
          return;
        }
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.interrupt();
    thread.join(10_000);
    client.close();
  }
}
