package org.ringrift.cluster.raft;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
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
import org.ringrift.cluster.statemachine.features.FeatureSupport;
import org.ringrift.cluster.statemachine.features.UnsupportedFeatureLevelException;
import org.ringrift.cluster.statemachine.queue.QueueLimits;
import org.ringrift.cluster.statemachine.store.StoreFormat;

/**
 * Adapts {@link org.ringrift.cluster.statemachine.ReplicatedState} to Ratis: decodes entries,
 * applies them in log order, takes and restores checkpoint snapshots (through {@link LiveState}),
 * stops applying what this binary cannot apply ({@link ApplyHalt}), and feeds leadership
 * notifications to the gate and the {@link LeaderWatch}. Bytes cross here between Ratis' shaded
 * protobuf and ours; no Ratis type goes further in.
 */
public final class ClusterStateMachine extends BaseStateMachine {
  private final LeadershipGate gate;
  private final LiveState live;
  private final ApplyHalt halt;
  private final LeaderWatch leaders = new LeaderWatch();
  private final CheckpointSnapshots snapshots = new CheckpointSnapshots();
  private final LatencyStats applyLatency = new LatencyStats();
  private final EntrySizeStats commandsPerEntry = new EntrySizeStats();

  /**
   * {@code fencing=false}: a deliberately broken build (see {@link UnsafeTestHooks}).
   * {@code features}: the feature levels this binary applies (capped in tests to stand for an
   * older build).
   */
  public ClusterStateMachine(Path stateDir, QueueLimits queueLimits, LeadershipGate gate, boolean fencing,
      FeatureSupport features) {
    this.gate = gate;
    this.live = new LiveState(stateDir, queueLimits, fencing, features);
    this.halt = new ApplyHalt(gate.selfId());
  }

  /** Time to apply one log entry (one command, or a whole batch of them) to the store. */
  public LatencyStats applyLatency() {
    return applyLatency;
  }

  /** Commands per applied entry: how much group commit batches. */
  public EntrySizeStats commandsPerEntry() {
    return commandsPerEntry;
  }

  /** Why this replica stopped applying the log, if it did. */
  public java.util.Optional<String> halted() {
    return halt.reason();
  }

  public FeatureSupport features() {
    return live.features();
  }

  /** Runs once when this replica halts (RaftNode hands leadership away if it leads). */
  void onHalt(Runnable action) {
    halt.onHalt(action);
  }

  /** The leader this node hears of, for waits on a leader change. */
  LeaderWatch leaders() {
    return leaders;
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
    live.close();
    getLifeCycle().startAndTransition(() -> {
      snapshots.refresh();
      try {
        openFromDisk();
      } catch (StoreFormat.UnsupportedStoreFormatException e) {
        // A leader's snapshot in a format this binary does not read: stop applying here rather
        // than let Ratis retry the install forever (at start, the same store refuses the start).
        halt.halt(e.getMessage(), live.nextIndex());
      }
    });
  }

  private void openFromDisk() throws IOException {
    FileListSnapshotInfo snapshot = snapshots.latest().orElse(null);
    var state = snapshot == null ? live.open(null, -1)
        : live.open(snapshots.dirFor(snapshot.getTermIndex()), snapshot.getIndex());
    if (snapshot != null) {
      updateLastAppliedTermIndex(snapshot.getTermIndex());
    }
    try {
      state.requireSupportedLevel();
    } catch (UnsupportedFeatureLevelException e) {
      halt.halt(e.getMessage(), live.nextIndex());
    }
  }

  @Override
  public StateMachineStorage getStateMachineStorage() {
    return snapshots;
  }

  @Override
  public SnapshotInfo getLatestSnapshot() {
    return snapshots.getLatestSnapshot();
  }

  @Override
  public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
    if (halt.halted()) {
      return halt.notApplied();
    }
    LogEntryProto entry = trx.getLogEntry();
    LogPosition position = new LogPosition(entry.getTerm(), entry.getIndex());
    CommandResult result;
    long startNanos = System.nanoTime();
    try {
      Command command = Command.parseFrom(entry.getStateMachineLogEntry().getLogData().toByteArray());
      // A CommandBatch entry applies here too, in one store commit, and answers one CommandResult
      // whose BatchResult holds a result per command, in order.
      result = live.state().apply(command, position);
      // Timed outside apply: the measurement never feeds back into the state.
      applyLatency.record(System.nanoTime() - startNanos);
      commandsPerEntry.record(command.hasBatch() ? command.getBatch().getCommandsCount() : 1);
    } catch (UnsupportedFeatureLevelException e) {
      halt.halt(e.getMessage(), position.index());
      return halt.notApplied();
    } catch (InvalidProtocolBufferException e) {
      // Deterministic on every replica: the same bytes fail to parse everywhere.
      live.state().recordApplied(position);
      result = CommandResult.newBuilder().setRejected(Rejection.newBuilder()
          .setCode(RejectCode.REJECT_INVALID_ARGUMENT).setField("command")
          .setMessage("not a valid command: " + e.getMessage())).build();
    }
    updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
    return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFrom(result.toByteArray())));
  }

  @Override
  public void notifyTermIndexUpdated(long term, long index) {
    if (halt.halted()) {
      return;
    }
    // Entries without a command (leader no-ops, configuration) still move the applied index.
    live.state().recordApplied(new LogPosition(term, index));
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
    return live.query(query, halt);
  }

  @Override
  public long takeSnapshot() throws IOException {
    TermIndex last = getLastAppliedTermIndex();
    if (last == null || last.getIndex() < 0 || !live.checkpoint(last, snapshots)) {
      return -1;
    }
    return last.getIndex();
  }

  @Override
  public void notifyLeaderChanged(RaftGroupMemberId groupMemberId, RaftPeerId newLeaderId) {
    String leaderId = newLeaderId == null ? "" : newLeaderId.toString();
    leaders.changed(leaderId);
    gate.leaderChanged(leaderId, currentTerm());
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
    live.close();
    super.close();
  }
}
