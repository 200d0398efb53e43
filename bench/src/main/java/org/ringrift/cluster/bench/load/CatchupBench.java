package org.ringrift.cluster.bench.load;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.ringrift.cluster.client.ClusterClient;
import org.ringrift.cluster.client.ClusterException;
import org.ringrift.cluster.contract.Endpoint;
import org.ringrift.cluster.proto.EnqueueBatchRequest;
import org.ringrift.cluster.proto.EnqueueRequest;
import org.ringrift.cluster.proto.NodeStatus;
import org.ringrift.cluster.proto.WorkType;

/**
 * How fast a follower that was down catches up: it is killed, the others commit entries (or a
 * large state), and the time from its restart to having applied the leader's commit index is
 * measured, by log replay when the leader still holds the entries, by snapshot install when the
 * leader's log has been purged past it.
 */
final class CatchupBench {
  /** Enqueue batch size for building a large state: the queue's batch limit. */
  static final int BULK_BATCH = 100;
  private static final Duration CATCHUP_LIMIT = Duration.ofMinutes(10);
  private static final Duration SNAPSHOT_LIMIT = Duration.ofMinutes(2);
  private static final int PURGE_FILLER = 200;

  private final NodeProcesses cluster;
  private final Duration timeout;
  private final int writers;
  private final ByteString payload;

  /** One measured catch-up. */
  record Result(String mode, long entriesBehind, long items, long startupMs, long catchupMs,
      boolean snapshotInstalled, long followerDataBytes, long writeErrors) {
    double entriesPerSecond() {
      return catchupMs == 0 ? 0 : entriesBehind * 1000.0 / catchupMs;
    }
  }

  CatchupBench(NodeProcesses cluster, Duration timeout, int writers, byte[] payload) {
    this.cluster = cluster;
    this.timeout = timeout;
    this.writers = writers;
    this.payload = ByteString.copyFrom(payload);
  }

  /** Replay: the follower misses {@code entries} single enqueues that the leader still has in its log. */
  Result replay(long entries) throws Exception {
    return measure("log-replay", entries, 0, false);
  }

  /** Install: the follower misses {@code entries} single enqueues and the leader purges its log past it. */
  Result install(long entries) throws Exception {
    return measure("snapshot-install", entries, 0, true);
  }

  /** A large state: {@code items} items enqueued in batches while the follower is down, then purged past it. */
  Result largeState(long items) throws Exception {
    return measure("snapshot-install-large-state", 0, items, true);
  }

  private static final int GROW_ROUNDS = 1000;

  private Result measure(String mode, long entries, long items, boolean purge) throws Exception {
    try (ClusterClient probe = new ClusterClient(cluster.endpoints(), timeout)) {
      int leader = cluster.awaitReadyLeader(probe, Duration.ofSeconds(60));
      int follower = (leader + 1) % cluster.size();
      NodeStatus before = probe.statusOf(cluster.endpoint(follower));
      cluster.kill(follower);

      List<Endpoint> alive = new ArrayList<>(cluster.endpoints());
      alive.remove(cluster.endpoint(follower));
      long errors = entries > 0 ? growLog(probe, alive, before.getAppliedIndex(), entries) : write(alive, items, true);
      if (purge) {
        errors += purgePast(probe, alive, follower, before.getAppliedIndex());
      }
      leader = cluster.awaitReadyLeader(probe, Duration.ofSeconds(60));
      NodeStatus leaderStatus = probe.statusOf(cluster.endpoint(leader));
      long target = leaderStatus.getCommitIndex();
      if (!purge && leaderStatus.getLogStartIndex() > before.getAppliedIndex() + 1) {
        throw new IllegalStateException("the leader purged its log to " + leaderStatus.getLogStartIndex()
            + " past the follower's " + before.getAppliedIndex() + ": raise --snapshot-threshold above --entries");
      }

      long started = System.nanoTime();
      cluster.start(follower);
      long up = 0;
      long deadline = started + CATCHUP_LIMIT.toNanos();
      NodeStatus now = null;
      while (System.nanoTime() < deadline) {
        java.util.Optional<NodeStatus> status = Probes.status(probe, cluster.endpoint(follower));
        if (status.isPresent()) {
          up = up == 0 ? System.nanoTime() : up;
          now = status.get();
          if (now.getAppliedIndex() >= target) {
            break;
          }
        }
        Thread.sleep(20);
      }
      long done = System.nanoTime();
      if (now == null || now.getAppliedIndex() < target) {
        throw new IllegalStateException(cluster.id(follower) + " did not reach index " + target + " within "
            + CATCHUP_LIMIT.toMinutes() + " minutes: " + (now == null ? "never answered" : "applied " + now.getAppliedIndex()));
      }
      boolean installed = now.getSnapshotIndex() > before.getAppliedIndex();
      return new Result(mode, target - before.getAppliedIndex(), items, (up - started) / 1_000_000,
          (done - up) / 1_000_000, installed, bytesUnder(cluster.dataDir(follower)), errors);
    }
  }

  /**
   * Writes single enqueues until the leader's log holds {@code entries} more entries than the
   * follower applied: group commit carries many writes in one entry, so a round of N writes adds
   * fewer than N entries. At most {@link #GROW_ROUNDS} rounds.
   */
  private long growLog(ClusterClient probe, List<Endpoint> alive, long followerApplied, long entries)
      throws Exception {
    long errors = 0;
    for (int round = 0; round < GROW_ROUNDS; round++) {
      int leader = cluster.awaitReadyLeader(probe, Duration.ofSeconds(60));
      long grown = probe.statusOf(cluster.endpoint(leader)).getCommitIndex() - followerApplied;
      if (grown >= entries) {
        return errors;
      }
      errors += write(alive, entries - grown, false);
    }
    throw new IllegalStateException("the log did not grow by " + entries + " entries in " + GROW_ROUNDS + " rounds");
  }

  /**
   * Snapshots every running member until the leader's log starts after the follower's last entry.
   * Ratis purges only every purge-gap (1024) entries, so a short run adds single enqueues until it does.
   */
  private long purgePast(ClusterClient probe, List<Endpoint> alive, int follower, long followerApplied)
      throws Exception {
    long errors = 0;
    long deadline = System.nanoTime() + SNAPSHOT_LIMIT.toNanos();
    while (System.nanoTime() < deadline) {
      for (int i = 0; i < cluster.size(); i++) {
        if (i != follower) {
          try {
            probe.takeSnapshot(cluster.endpoint(i));
          } catch (ClusterException busy) {
            // between leaders or busy: the next round snapshots it
          }
        }
      }
      int leader = cluster.awaitReadyLeader(probe, Duration.ofSeconds(60));
      if (probe.statusOf(cluster.endpoint(leader)).getLogStartIndex() > followerApplied + 1) {
        return errors;
      }
      errors += write(alive, PURGE_FILLER, false);
    }
    throw new IllegalStateException("the leader's log was not purged past index " + followerApplied + " within "
        + SNAPSHOT_LIMIT.toSeconds() + " s");
  }

  /** Writes {@code count} entries (single enqueues) or items (batches) with closed-loop writers; returns errors. */
  private long write(List<Endpoint> endpoints, long count, boolean batches) throws Exception {
    AtomicLong remaining = new AtomicLong(count);
    AtomicLong errors = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Future<?>> running = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        List<Endpoint> rotated = new ArrayList<>();
        for (int k = 0; k < endpoints.size(); k++) {
          rotated.add(endpoints.get((w + k) % endpoints.size()));
        }
        running.add(pool.submit(() -> {
          try (ClusterClient client = new ClusterClient(rotated, timeout)) {
            EnqueueRequest item = EnqueueRequest.newBuilder().setType(WorkType.WORK_TYPE_SELFPLAY)
                .setPayload(payload).setForce(true).build(); // forced: no pending limit applies
            while (true) {
              int take = batches ? BULK_BATCH : 1;
              long left = remaining.getAndAdd(-take);
              if (left <= 0) {
                return null;
              }
              int size = (int) Math.min(take, left);
              try {
                if (batches) {
                  EnqueueBatchRequest.Builder batch = EnqueueBatchRequest.newBuilder();
                  for (int k = 0; k < size; k++) {
                    batch.addItems(item);
                  }
                  client.enqueueBatch(batch.build());
                } else {
                  client.enqueue(item);
                }
              } catch (ClusterException e) {
                errors.incrementAndGet();
                remaining.addAndGet(size);
                if (errors.get() > count / 10 + 100) {
                  throw new IllegalStateException("too many write errors, last: " + e.getMessage(), e);
                }
              }
            }
          }
        }));
      }
      for (Future<?> future : running) {
        future.get();
      }
    } finally {
      pool.shutdownNow();
    }
    return errors.get();
  }

  private static long bytesUnder(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(path -> {
        try {
          return Files.size(path);
        } catch (IOException gone) {
          return 0;
        }
      }).sum();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
