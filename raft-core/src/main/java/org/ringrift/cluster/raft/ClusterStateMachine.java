package org.ringrift.cluster.raft;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotInfo;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.FileListSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.LifeCycle;
import org.ringrift.cluster.proto.Command;
import org.ringrift.cluster.proto.CommandResult;
import org.ringrift.cluster.proto.Query;
import org.ringrift.cluster.proto.QueryResult;
import org.ringrift.cluster.proto.RejectCode;
import org.ringrift.cluster.proto.Rejection;
import org.ringrift.cluster.statemachine.LogPosition;
import org.ringrift.cluster.statemachine.ReplicatedState;
import org.ringrift.cluster.statemachine.features.FeatureLevels;
import org.ringrift.cluster.statemachine.features.FeatureSupport;
import org.ringrift.cluster.statemachine.features.UnsupportedFeatureLevelException;
import org.ringrift.cluster.statemachine.queue.QueueLimits;
import org.ringrift.cluster.statemachine.sessions.SessionLimits;
import org.ringrift.cluster.statemachine.store.StateStore;
import org.ringrift.cluster.statemachine.store.StoreFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adapts {@link ReplicatedState} to Ratis: decodes entries, applies them in log order, takes
 * and restores checkpoint snapshots, and feeds leadership notifications to the gate. Bytes cross
 * here between Ratis' shaded protobuf and ours; no Ratis type goes further in.
 */
public final class ClusterStateMachine extends BaseStateMachine {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterStateMachine.class);

  private final Path stateDir;
  private final QueueLimits queueLimits;
  private final boolean fencing;
  private final FeatureSupport features;
  private final LeadershipGate gate;
  // Why this replica stopped applying (an entry or state above what its binary supports); null
  // while it applies. Once set it stays for the life of the process: a later entry can only be
  // applied on top of the one it could not apply.
  private volatile String halted;
  private volatile Runnable onHalt = () -> {};
  private final CheckpointSnapshots snapshots = new CheckpointSnapshots();
  // Queries run on Ratis' read threads; they must never touch a store that is being swapped.
  private final ReentrantReadWriteLock storeLock = new ReentrantReadWriteLock();
  private volatile StateStore store;
  private volatile ReplicatedState state;

  private final LatencyStats applyLatency = new LatencyStats();
  private final EntrySizeStats commandsPerEntry = new EntrySizeStats();

  /** Time to apply one log entry (one command, or a whole batch of them) to the store. */
  public LatencyStats applyLatency() {
    return applyLatency;
  }

  /** Commands per applied entry: how much group commit batches. */
  public EntrySizeStats commandsPerEntry() {
    return commandsPerEntry;
  }

  public ClusterStateMachine(Path stateDir, QueueLimits queueLimits, LeadershipGate gate) {
    this(stateDir, queueLimits, gate, true);
  }

  /** {@code fencing=false}: a deliberately broken build (see {@link UnsafeTestHooks}). */
  public ClusterStateMachine(Path stateDir, QueueLimits queueLimits, LeadershipGate gate, boolean fencing) {
    this(stateDir, queueLimits, gate, fencing, FeatureLevels.BUILD);
  }

  /** {@code features}: the feature levels this binary applies (capped in tests to stand for an older build). */
  public ClusterStateMachine(Path stateDir, QueueLimits queueLimits, LeadershipGate gate, boolean fencing,
      FeatureSupport features) {
    this.features = features;
    this.fencing = fencing;
    this.stateDir = stateDir;
    this.queueLimits = queueLimits;
    this.gate = gate;
  }

  private Path liveDir() {
    return stateDir.resolve("live");
  }

  @Override
  public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage storage) throws IOException {
    super.initialize(server, groupId, storage);
    getLifeCycle().startAndTransition(() -> {
      snapshots.init(storage);
      openFromDisk();
    });
  }

  /** Ratis pauses the state machine before it installs a snapshot; once per chunk, so repeats are no-ops. */
  @Override
  public void pause() {
    if (getLifeCycle().getCurrentState() == LifeCycle.State.RUNNING) {
      getLifeCycle().transition(LifeCycle.State.PAUSING);
      getLifeCycle().transition(LifeCycle.State.PAUSED);
    }
  }

  /** Called after Ratis installed a snapshot from the leader into the sm directory. */
  @Override
  public void reinitialize() throws IOException {
    closeStore();
    getLifeCycle().startAndTransition(() -> {
      snapshots.refresh();
      try {
        openFromDisk();
      } catch (StoreFormat.UnsupportedStoreFormatException e) {
        // A leader's snapshot in a format this binary does not read: stop applying here rather
        // than let Ratis retry the install forever (at start, the same store refuses the start).
        halt(e.getMessage());
      }
    });
  }

  private void openFromDisk() throws IOException {
    FileListSnapshotInfo snapshot = snapshots.latest().orElse(null);
    if (snapshot != null && liveIsBehind(snapshot.getIndex())) {
      restoreLiveFrom(snapshots.dirFor(snapshot.getTermIndex()));
    }
    storeLock.writeLock().lock();
    try {
      store = StateStore.open(liveDir());
      state = new ReplicatedState(store, queueLimits, SessionLimits.defaults(), fencing, features);
    } finally {
      storeLock.writeLock().unlock();
    }
    if (snapshot != null) {
      updateLastAppliedTermIndex(snapshot.getTermIndex());
    }
    try {
      state.requireSupportedLevel();
    } catch (UnsupportedFeatureLevelException e) {
      halt(e.getMessage());
    }
    LOG.info("state opened dir={} applied_index={} snapshot_index={}", liveDir(), store.applied().index(),
        snapshot == null ? -1 : snapshot.getIndex());
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

  @Override
  public StateMachineStorage getStateMachineStorage() {
    return snapshots;
  }

  @Override
  public SnapshotInfo getLatestSnapshot() {
    return snapshots.getLatestSnapshot();
  }

  /** Why this replica stopped applying the log, if it did. */
  public java.util.Optional<String> halted() {
    return java.util.Optional.ofNullable(halted);
  }

  public FeatureSupport features() {
    return features;
  }

  /** Runs once when this replica halts (RaftNode hands leadership away if it leads). */
  void onHalt(Runnable action) {
    this.onHalt = action;
  }

  /**
   * Stops applying: every later entry is left unapplied (the store keeps the last entry it could
   * apply, so a binary that supports the level applies the rest from there after a restart), and
   * reads of the stale state are refused. Once, with one FATAL line.
   */
  private synchronized void halt(String reason) {
    halt(reason, store == null ? -1 : store.applied().index() + 1);
  }

  /** {@code index}: the first log index this replica leaves unapplied. */
  private synchronized void halt(String reason, long index) {
    if (halted != null) {
      return;
    }
    halted = "stopped applying at index " + index + ": " + reason
        + "; restart this node on a binary that supports it (docs/OPERATIONS.md, Upgrades)";
    LOG.error("FATAL apply halted node={} {}", gate.selfId(), halted);
    onHalt.run();
  }

  /**
   * The answer to an entry this replica did not apply. A completed future, not a failed one: Ratis
   * ends its apply thread (and the process) on a failed apply future when it next snapshots. The
   * entry's outcome is what the replicas that can apply it decide.
   */
  private CompletableFuture<Message> notApplied() {
    CommandResult result = CommandResult.newBuilder().setRejected(Rejection.newBuilder()
        .setCode(RejectCode.REJECT_FAILED_PRECONDITION).setField("feature_level")
        .setMessage("node " + gate.selfId() + " " + halted + "; the entry's outcome is what the other nodes applied"))
        .build();
    return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFrom(result.toByteArray())));
  }

  @Override
  public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
    if (halted != null) {
      return notApplied();
    }
    LogEntryProto entry = trx.getLogEntry();
    LogPosition position = new LogPosition(entry.getTerm(), entry.getIndex());
    CommandResult result;
    long startNanos = System.nanoTime();
    try {
      Command command = Command.parseFrom(entry.getStateMachineLogEntry().getLogData().toByteArray());
      // A CommandBatch entry applies here too, in one store commit, and answers one CommandResult
      // whose BatchResult holds a result per command, in order.
      result = state.apply(command, position);
      // Timed outside apply: the measurement never feeds back into the state.
      applyLatency.record(System.nanoTime() - startNanos);
      commandsPerEntry.record(command.hasBatch() ? command.getBatch().getCommandsCount() : 1);
    } catch (UnsupportedFeatureLevelException e) {
      halt(e.getMessage(), position.index());
      return notApplied();
    } catch (InvalidProtocolBufferException e) {
      // Deterministic on every replica: the same bytes fail to parse everywhere.
      state.recordApplied(position);
      result = CommandResult.newBuilder().setRejected(Rejection.newBuilder()
          .setCode(RejectCode.REJECT_INVALID_ARGUMENT).setField("command")
          .setMessage("not a valid command: " + e.getMessage())).build();
    }
    updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
    return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFrom(result.toByteArray())));
  }

  @Override
  public void notifyTermIndexUpdated(long term, long index) {
    if (halted != null) {
      return;
    }
    // Entries without a command (leader no-ops, configuration) still move the applied index.
    state.recordApplied(new LogPosition(term, index));
    super.notifyTermIndexUpdated(term, index);
  }

  @Override
  public CompletableFuture<Message> query(Message request) {
    try {
      QueryResult result = queryLocal(Query.parseFrom(request.getContent().toByteArray()));
      return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFrom(result.toByteArray())));
    } catch (InvalidProtocolBufferException e) {
      return CompletableFuture.failedFuture(new IllegalArgumentException("not a valid query", e));
    } catch (StateUnavailableException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** A read of what this replica has applied, in process: no Raft round, no leader needed. */
  public QueryResult queryLocal(Query query) throws StateUnavailableException {
    storeLock.readLock().lock();
    try {
      if (halted != null) {
        // Behind the log and never catching up: a read here would be stale without saying so.
        throw new StateUnavailableException("node " + gate.selfId() + " " + halted);
      }
      if (state == null) {
        throw new StateUnavailableException("state is being restored from a snapshot");
      }
      return state.query(query);
    } finally {
      storeLock.readLock().unlock();
    }
  }

  @Override
  public long takeSnapshot() throws IOException {
    TermIndex last = getLastAppliedTermIndex();
    if (store == null || last == null || last.getIndex() < 0) {
      return -1;
    }
    Path target = snapshots.dirFor(last);
    if (!Files.exists(target)) {
      Path temp = snapshots.tempDirFor(last);
      CheckpointSnapshots.deleteRecursively(temp);
      store.checkpointTo(temp);
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      snapshots.refresh();
      LOG.info("snapshot taken term={} index={} dir={}", last.getTerm(), last.getIndex(), target);
    }
    return last.getIndex();
  }

  @Override
  public void notifyLeaderChanged(RaftGroupMemberId groupMemberId, RaftPeerId newLeaderId) {
    gate.leaderChanged(newLeaderId == null ? "" : newLeaderId.toString(), currentTerm());
  }

  @Override
  public void notifyLeaderReady() {
    gate.leaderReady(currentTerm(), System.nanoTime());
  }

  @Override
  public void notifyNotLeader(Collection<TransactionContext> pendingEntries) {
    gate.notLeader();
  }

  private long currentTerm() {
    try {
      return getServer().get().getDivision(getGroupId()).getInfo().getCurrentTerm();
    } catch (Exception e) {
      throw new IllegalStateException("no Raft division for group " + getGroupId(), e);
    }
  }

  @Override
  public void close() throws IOException {
    closeStore();
    super.close();
  }

  private void closeStore() {
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
