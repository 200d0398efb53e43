package org.ringrift.cluster.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.ringrift.cluster.contract.names.ConfigKeys;
import org.ringrift.cluster.proto.Command;
import org.ringrift.cluster.proto.CommandResult;
import org.ringrift.cluster.proto.EnqueueBatchRequest;
import org.ringrift.cluster.proto.EnqueueRequest;
import org.ringrift.cluster.proto.Query;
import org.ringrift.cluster.proto.QueueStats;
import org.ringrift.cluster.proto.QueueStatsRequest;
import org.ringrift.cluster.proto.SetConfigRequest;
import org.ringrift.cluster.statemachine.LogPosition;
import org.ringrift.cluster.statemachine.ReplicatedState;
import org.ringrift.cluster.statemachine.queue.QueueLimits;
import org.ringrift.cluster.statemachine.store.StateStore;

/**
 * A real state machine over RocksDB in a temp dir, fed as the Raft layer would: one entry at a
 * time with increasing indexes. Benchmarks own one each and delete it when done.
 */
public final class StoreHarness implements AutoCloseable {
  /** Stamped on every command; apply's clock never goes back, so a constant is enough. */
  static final long NOW_MS = 1_700_000_000_000L;
  private static final int ENQUEUE_BATCH = 100;

  private final Path dir;
  private final StateStore store;
  private final ReplicatedState state;
  private long index;

  private StoreHarness(Path dir) {
    this.dir = dir;
    this.store = StateStore.open(dir);
    this.state = new ReplicatedState(store, QueueLimits.defaults());
  }

  /**
   * A fresh store whose pending limits are raised to the config maximum, so that deep queues
   * measure enqueue and claim, not the backpressure rejection.
   */
  public static StoreHarness open() {
    Path dir;
    try {
      dir = Files.createTempDirectory("rrbench-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    StoreHarness harness = new StoreHarness(dir);
    harness.setConfig(ConfigKeys.PENDING_HARD_LIMIT, 1_000_000);
    harness.setConfig(ConfigKeys.PENDING_SOFT_LIMIT, 1_000_000);
    return harness;
  }

  /** Applies one command as the next log entry. */
  public CommandResult apply(Command command) {
    index++;
    return state.apply(command, new LogPosition(1, index));
  }

  /** Applies and fails loudly on a rejection: a benchmark that measures rejections lies. */
  public CommandResult applyOk(Command command) {
    CommandResult result = apply(command);
    if (result.hasRejected()) {
      throw new IllegalStateException("rejected at index " + index + ": " + result.getRejected());
    }
    return result;
  }

  private void setConfig(String key, long value) {
    applyOk(Command.newBuilder().setNowMs(NOW_MS)
        .setSetConfig(SetConfigRequest.newBuilder().setKey(key).setValue(Long.toString(value))).build());
  }

  /** Enqueues {@code count} items from {@code items} in batches (setup only: not measured). */
  public void enqueue(int count, java.util.function.IntFunction<EnqueueRequest> items) {
    for (int done = 0; done < count; ) {
      EnqueueBatchRequest.Builder batch = EnqueueBatchRequest.newBuilder();
      for (int i = 0; i < ENQUEUE_BATCH && done < count; i++, done++) {
        batch.addItems(items.apply(done));
      }
      applyOk(Command.newBuilder().setNowMs(NOW_MS).setEnqueueBatch(batch).build());
    }
  }

  public QueueStats stats() {
    return state.query(Query.newBuilder().setQueueStats(QueueStatsRequest.getDefaultInstance()).build())
        .getQueueStats();
  }

  @Override
  public void close() {
    store.close();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
