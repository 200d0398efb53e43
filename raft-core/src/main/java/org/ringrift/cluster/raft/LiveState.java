package org.ringrift.cluster.raft;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.apache.ratis.server.protocol.TermIndex;
import org.ringrift.cluster.proto.Query;
import org.ringrift.cluster.proto.QueryResult;
import org.ringrift.cluster.statemachine.ReplicatedState;
import org.ringrift.cluster.statemachine.features.FeatureSupport;
import org.ringrift.cluster.statemachine.queue.QueueLimits;
import org.ringrift.cluster.statemachine.sessions.SessionLimits;
import org.ringrift.cluster.statemachine.store.StateStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replica's open state: the store in {@code <stateDir>/live} and the {@link ReplicatedState}
 * over it. Opens it (restoring from a newer snapshot checkpoint first), checkpoints it, and swaps
 * it under a lock: queries run on Ratis' read threads and must never touch a store being swapped.
 */
final class LiveState implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LiveState.class);

  private final Path stateDir;
  private final QueueLimits queueLimits;
  private final boolean fencing;
  private final FeatureSupport features;
  private final ReentrantReadWriteLock storeLock = new ReentrantReadWriteLock();
  private volatile StateStore store;
  private volatile ReplicatedState state;

  /** {@code fencing=false}: a deliberately broken build (see {@link UnsafeTestHooks}). */
  LiveState(Path stateDir, QueueLimits queueLimits, boolean fencing, FeatureSupport features) {
    this.stateDir = stateDir;
    this.queueLimits = queueLimits;
    this.fencing = fencing;
    this.features = features;
  }

  FeatureSupport features() {
    return features;
  }

  private Path liveDir() {
    return stateDir.resolve("live");
  }

  /** The open state; null while closed or being restored. Only the apply thread calls it. */
  ReplicatedState state() {
    return state;
  }

  /** The first log index the open store has not applied; -1 when none is open. */
  long nextIndex() {
    StateStore open = store;
    return open == null ? -1 : open.applied().index() + 1;
  }

  /**
   * Opens the live store, first replacing it with {@code checkpoint} (the latest snapshot's
   * files) when that is ahead of it; {@code snapshotIndex} -1 when there is no snapshot.
   */
  ReplicatedState open(Path checkpoint, long snapshotIndex) throws IOException {
    if (checkpoint != null && liveIsBehind(snapshotIndex)) {
      restoreLiveFrom(checkpoint);
    }
    storeLock.writeLock().lock();
    try {
      store = StateStore.open(liveDir());
      state = new ReplicatedState(store, queueLimits, SessionLimits.defaults(), fencing, features);
    } finally {
      storeLock.writeLock().unlock();
    }
    LOG.info("state opened dir={} applied_index={} snapshot_index={}", liveDir(), store.applied().index(),
        snapshotIndex);
    return state;
  }

  private boolean liveIsBehind(long snapshotIndex) {
    if (!Files.isDirectory(liveDir())) {
      return true;
    }
    try (StateStore existing = StateStore.open(liveDir())) {
      return existing.applied().index() < snapshotIndex;
    }
  }

  private void restoreLiveFrom(Path checkpoint) throws IOException {
    Path staging = stateDir.resolve("live.restoring");
    CheckpointSnapshots.deleteRecursively(staging);
    Files.createDirectories(staging);
    for (Path file : CheckpointSnapshots.checkpointFiles(checkpoint)) {
      Files.copy(file, staging.resolve(file.getFileName()));
    }
    CheckpointSnapshots.deleteRecursively(liveDir());
    Files.move(staging, liveDir(), StandardCopyOption.ATOMIC_MOVE);
    LOG.info("state restored from snapshot dir={}", checkpoint);
  }

  /** A read of what this replica has applied; refused while no state is open. */
  QueryResult query(Query query, ApplyHalt halt) throws StateUnavailableException {
    storeLock.readLock().lock();
    try {
      if (halt.halted()) {
        // Behind the log and never catching up: a read here would be stale without saying so.
        throw halt.unavailable();
      }
      ReplicatedState open = state;
      if (open == null) {
        throw new StateUnavailableException("state is being restored from a snapshot");
      }
      return open.query(query);
    } finally {
      storeLock.readLock().unlock();
    }
  }

  /** Writes a checkpoint of the open store as the snapshot of {@code last}; false when none is open. */
  boolean checkpoint(TermIndex last, CheckpointSnapshots snapshots) throws IOException {
    StateStore open = store;
    if (open == null) {
      return false;
    }
    Path target = snapshots.dirFor(last);
    if (!Files.exists(target)) {
      Path temp = snapshots.tempDirFor(last);
      CheckpointSnapshots.deleteRecursively(temp);
      open.checkpointTo(temp);
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      snapshots.refresh();
      LOG.info("snapshot taken term={} index={} dir={}", last.getTerm(), last.getIndex(), target);
    }
    return true;
  }

  @Override
  public void close() {
    storeLock.writeLock().lock();
    try {
      StateStore open = store;
      state = null;
      store = null;
      if (open != null) {
        open.close();
      }
    } finally {
      storeLock.writeLock().unlock();
    }
  }
}
