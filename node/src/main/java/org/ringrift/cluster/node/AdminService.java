package org.ringrift.cluster.node;

import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.ringrift.cluster.contract.errors.ErrorKind;
import org.ringrift.cluster.contract.errors.Rejections;
import org.ringrift.cluster.daemons.DaemonManager;
import org.ringrift.cluster.daemons.DaemonStatus;
import org.ringrift.cluster.proto.AdminServiceGrpc;
import io.grpc.stub.ServerCallStreamObserver;
import org.ringrift.cluster.daemons.node.EventHub;
import java.util.List;
import org.ringrift.cluster.proto.AddMemberRequest;
import org.ringrift.cluster.proto.RemoveMemberRequest;
import org.ringrift.cluster.raft.RaftView;
import org.ringrift.cluster.proto.DaemonInfo;
import org.ringrift.cluster.proto.Event;
import org.ringrift.cluster.proto.WatchEventsRequest;
import org.ringrift.cluster.proto.ListMembersRequest;
import org.ringrift.cluster.proto.ListMembersResult;
import org.ringrift.cluster.proto.Member;
import org.ringrift.cluster.proto.TransferLeaderRequest;
import org.ringrift.cluster.proto.TransferLeaderResult;
import org.ringrift.cluster.proto.ListDaemonsRequest;
import org.ringrift.cluster.proto.ListDaemonsResult;
import org.ringrift.cluster.proto.RestartDaemonRequest;
import org.ringrift.cluster.proto.BlacklistNodeRequest;
import org.ringrift.cluster.proto.CancelRequest;
import org.ringrift.cluster.proto.ClaimRequest;
import org.ringrift.cluster.proto.ClaimResult;
import org.ringrift.cluster.proto.Command;
import org.ringrift.cluster.proto.CommandResult;
import org.ringrift.cluster.proto.CompleteRequest;
import org.ringrift.cluster.proto.ConfigEntry;
import org.ringrift.cluster.proto.DaemonDesired;
import org.ringrift.cluster.proto.DigestRequest;
import org.ringrift.cluster.proto.DigestResult;
import org.ringrift.cluster.proto.DrainNodeRequest;
import org.ringrift.cluster.proto.EnqueueBatchRequest;
import org.ringrift.cluster.proto.EnqueueBatchResult;
import org.ringrift.cluster.proto.EnqueueRequest;
import org.ringrift.cluster.proto.EnqueueResult;
import org.ringrift.cluster.proto.ExtendRequest;
import org.ringrift.cluster.proto.FailRequest;
import org.ringrift.cluster.proto.GetConfigRequest;
import org.ringrift.cluster.proto.GetConfigResult;
import org.ringrift.cluster.proto.GetItemRequest;
import org.ringrift.cluster.proto.GetItemResult;
import org.ringrift.cluster.proto.HeartbeatRequest;
import org.ringrift.cluster.proto.ItemResult;
import org.ringrift.cluster.proto.ItemsResult;
import org.ringrift.cluster.proto.LeaderHistoryRequest;
import org.ringrift.cluster.proto.LeaderHistoryResult;
import org.ringrift.cluster.proto.ListDaemonDesiredRequest;
import org.ringrift.cluster.proto.ListDaemonDesiredResult;
import org.ringrift.cluster.proto.ListItemsRequest;
import org.ringrift.cluster.proto.ListItemsResult;
import org.ringrift.cluster.proto.ListNodesRequest;
import org.ringrift.cluster.proto.ListNodesResult;
import org.ringrift.cluster.proto.NodeResult;
import org.ringrift.cluster.proto.NodeStatus;
import org.ringrift.cluster.proto.Query;
import org.ringrift.cluster.proto.QueryResult;
import org.ringrift.cluster.proto.QueueStats;
import org.ringrift.cluster.proto.QueueStatsRequest;
import org.ringrift.cluster.proto.RecentEventsRequest;
import org.ringrift.cluster.proto.RecentEventsResult;
import org.ringrift.cluster.proto.RedriveRequest;
import org.ringrift.cluster.proto.ReleaseRequest;
import org.ringrift.cluster.proto.SetConfigRequest;
import org.ringrift.cluster.proto.SetDaemonDesiredRequest;
import org.ringrift.cluster.proto.StartRequest;
import org.ringrift.cluster.proto.StatusRequest;
import org.ringrift.cluster.proto.SyncHistoryRequest;
import org.ringrift.cluster.proto.SyncHistoryResult;
import org.ringrift.cluster.proto.TakeSnapshotRequest;
import org.ringrift.cluster.proto.TakeSnapshotResult;
import org.ringrift.cluster.proto.UnblacklistNodeRequest;
import org.ringrift.cluster.raft.RaftNode;
import org.ringrift.cluster.node.guard.EdgeChecks;
import org.ringrift.cluster.raft.ReplicatedClient;
import org.ringrift.cluster.statemachine.CommandChecks;
import org.ringrift.cluster.statemachine.Rejections.RejectedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API. Requests that fail the stateless checks are refused here and never reach the
 * log; the rest go through Raft (writes) or a linearizable read, from any node.
 */
final class AdminService extends AdminServiceGrpc.AdminServiceImplBase {
  private static final Logger LOG = LoggerFactory.getLogger(AdminService.class);

  private final RaftNode raft;
  private final ReplicatedClient replicated;
  private final CommandChecks checks;
  private final StatusService status;
  private final DaemonManager daemons;

  private final EventHub events;
  private final int maxWatchStreams;
  /** Why this node refuses writes right now (its data disk is under the reserve), if it does. */
  private final java.util.function.Supplier<java.util.Optional<String>> writeRefusal;
  private final java.util.concurrent.atomic.AtomicInteger watchStreams = new java.util.concurrent.atomic.AtomicInteger();

  AdminService(RaftNode raft, CommandChecks checks, StatusService status, DaemonManager daemons, EventHub events,
      int maxWatchStreams, java.util.function.Supplier<java.util.Optional<String>> writeRefusal) {
    this.writeRefusal = writeRefusal;
    this.events = events;
    this.maxWatchStreams = maxWatchStreams;
    this.raft = raft;
    this.replicated = raft.client();
    this.checks = checks;
    this.status = status;
    this.daemons = daemons;
  }

  @Override
  public void listDaemons(ListDaemonsRequest request, StreamObserver<ListDaemonsResult> response) {
    ListDaemonsResult.Builder result = ListDaemonsResult.newBuilder().setNodeId(raft.id());
    daemons.list().forEach(d -> result.addDaemons(info(d)));
    response.onNext(result.build());
    response.onCompleted();
  }

  @Override
  public void restartDaemon(RestartDaemonRequest request, StreamObserver<DaemonInfo> response) {
    if (!edgeCheck(response, () -> EdgeChecks.text("name", request.getName(), EdgeChecks.MAX_NAME, true))) {
      return;
    }
    if (!daemons.restart(request.getName())) {
      response.onError(Rejections.toStatus(ErrorKind.NOT_FOUND, "name: no daemon '" + request.getName()
          + "' on node " + raft.id()));
      return;
    }
    response.onNext(info(daemons.status(request.getName()).orElseThrow()));
    response.onCompleted();
  }

  /**
   * Streams events as this node applies them. A watcher that cannot keep up (its transport is not
   * ready) loses events rather than growing a buffer; each event carries its seq, so gaps show.
   */
  @Override
  public void watchEvents(WatchEventsRequest request, StreamObserver<Event> response) {
    if (!edgeCheck(response, () -> EdgeChecks.text("type", request.getType(), EdgeChecks.MAX_NAME, false))) {
      return;
    }
    if (request.getAfterSeq() < 0) {
      response.onError(Rejections.toStatus(ErrorKind.INVALID_ARGUMENT, "after_seq: " + request.getAfterSeq()
          + " must be >= 0"));
      return;
    }
    if (watchStreams.incrementAndGet() > maxWatchStreams) {
      watchStreams.decrementAndGet();
      response.onError(Rejections.toStatus(ErrorKind.BACKPRESSURE, "watch streams: this node already serves "
          + "--admin-max-watch-streams " + maxWatchStreams + " watchers"));
      return;
    }
    ServerCallStreamObserver<Event> stream = (ServerCallStreamObserver<Event>) response;
    Object lock = new Object();
    // Never an event at or before after_seq: the router may hand over events applied just before.
    long[] lastSent = {request.getAfterSeq()};
    java.util.function.Consumer<Event> send = event -> {
      synchronized (lock) {
        boolean wanted = request.getType().isEmpty() || request.getType().equals(event.getType());
        if (wanted && event.getSeq() > lastSent[0] && !stream.isCancelled() && stream.isReady()) {
          stream.onNext(event);
          lastSent[0] = event.getSeq();
        }
      }
    };
    Runnable unsubscribe = events.subscribe(send);
    java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();
    stream.setOnCancelHandler(() -> {
      unsubscribe.run();
      if (released.compareAndSet(false, true)) {
        watchStreams.decrementAndGet();
      }
    });
    if (request.getAfterSeq() > 0) {
      replicated.read(Query.newBuilder().setRecentEvents(RecentEventsRequest.newBuilder()
              .setAfterSeq(request.getAfterSeq()).setLimit(1000)).build())
          .thenAccept(result -> result.getRecentEvents().getEventsList().forEach(send));
    }
  }

  @Override
  public void listMembers(ListMembersRequest request, StreamObserver<ListMembersResult> response) {
    response.onNext(membersResult());
    response.onCompleted();
  }

  @Override
  public void addMember(AddMemberRequest request, StreamObserver<ListMembersResult> response) {
    if (!edgeCheck(response, () -> {
      EdgeChecks.text("id", request.getId(), EdgeChecks.MAX_NAME, true);
      EdgeChecks.text("address", request.getAddress(), EdgeChecks.MAX_ADDRESS, true);
    })) {
      return;
    }
    if (outsideTheConfiguration(response)) {
      return;
    }
    org.ringrift.cluster.raft.Member parsed;
    try {
      parsed = org.ringrift.cluster.raft.Member.parse(request.getId() + "=" + request.getAddress());
    } catch (IllegalArgumentException e) {
      response.onError(Rejections.toStatus(ErrorKind.INVALID_ARGUMENT, "address: " + e.getMessage()));
      return;
    }
    List<RaftView.MemberView> members = raft.members();
    if (members.stream().anyMatch(m -> m.id().equals(parsed.id()))) {
      response.onError(Rejections.toStatus(ErrorKind.FAILED_PRECONDITION, "id: " + parsed.id() + " is already a member"));
      return;
    }
    if (refusesWrites(response)) {
      return;
    }
    reply(response, raft.addMember(new RaftView.MemberView(parsed.id(), parsed.address(), !request.getListener())),
        ignored -> membersResult());
  }

  @Override
  public void removeMember(RemoveMemberRequest request, StreamObserver<ListMembersResult> response) {
    if (!edgeCheck(response, () -> EdgeChecks.text("id", request.getId(), EdgeChecks.MAX_NAME, true))
        || outsideTheConfiguration(response)) {
      return;
    }
    List<RaftView.MemberView> members = raft.members();
    List<RaftView.MemberView> next = members.stream().filter(m -> !m.id().equals(request.getId())).toList();
    if (next.size() == members.size()) {
      response.onError(Rejections.toStatus(ErrorKind.NOT_FOUND, "id: " + request.getId() + " is not a member"));
      return;
    }
    if (next.stream().noneMatch(RaftView.MemberView::voter)) {
      response.onError(Rejections.toStatus(ErrorKind.FAILED_PRECONDITION, "id: removing " + request.getId()
          + " would leave no voter"));
      return;
    }
    if (refusesWrites(response)) {
      return;
    }
    reply(response, raft.replaceMembers(members, next), ignored -> membersResult());
  }

  /**
   * A node outside the configuration (joining, or removed) does not know the members, so it cannot
   * compute a change; it refuses without proposing, and the client asks a member instead.
   */
  private boolean outsideTheConfiguration(StreamObserver<?> response) {
    if (raft.members().stream().anyMatch(m -> m.id().equals(raft.id()))) {
      return false;
    }
    response.onError(Rejections.notProposed(ErrorKind.UNAVAILABLE, "node " + raft.id()
        + " is not in the configuration (joining or removed); membership changes go through a member"));
    return true;
  }

  private ListMembersResult membersResult() {
    String leader = raft.view().leaderId();
    ListMembersResult.Builder result = ListMembersResult.newBuilder();
    raft.members().forEach(m -> result.addMembers(Member.newBuilder().setId(m.id()).setAddress(m.address())
        .setRole(m.voter() ? "VOTER" : "LISTENER").setIsLeader(m.id().equals(leader))));
    return result.build();
  }

  @Override
  public void transferLeader(TransferLeaderRequest request, StreamObserver<TransferLeaderResult> response) {
    if (!edgeCheck(response, () -> EdgeChecks.text("to", request.getTo(), EdgeChecks.MAX_NAME, true))) {
      return;
    }
    boolean known = raft.members().stream().anyMatch(m -> m.voter() && m.id().equals(request.getTo()));
    if (!known) {
      response.onError(Rejections.toStatus(ErrorKind.NOT_FOUND, "to: '" + request.getTo() + "' is not a voter of "
          + raft.members().stream().filter(m -> m.voter()).map(m -> m.id()).toList()));
      return;
    }
    long timeoutMs = request.getTimeoutMs() == 0 ? 10_000 : request.getTimeoutMs();
    if (timeoutMs < 100 || timeoutMs > 120_000) {
      response.onError(Rejections.toStatus(ErrorKind.INVALID_ARGUMENT, "timeout_ms: " + timeoutMs
          + " is out of range 100-120000"));
      return;
    }
    reply(response, raft.transferLeadership(request.getTo(), timeoutMs), ignored -> TransferLeaderResult.newBuilder()
        .setLeaderId(raft.view().leaderId()).setTerm(raft.view().term()).build());
  }

  /** Runs the edge checks; on failure answers the call with their INVALID_ARGUMENT and returns false. */
  private static boolean edgeCheck(StreamObserver<?> response, Runnable checks) {
    try {
      checks.run();
      return true;
    } catch (io.grpc.StatusRuntimeException invalid) {
      response.onError(invalid);
      return false;
    }
  }

  private static DaemonInfo info(DaemonStatus d) {
    return DaemonInfo.newBuilder().setName(d.name()).setScope(d.scope().name()).setState(d.state().name())
        .setRestarts(d.restarts()).setRestartsLastHour(d.restartsLastHour()).setLastError(d.lastError()).setLeaderTerm(d.leaderTerm())
        .setDesiredEnabled(d.desiredEnabled()).build();
  }

  @Override
  public void status(StatusRequest request, StreamObserver<NodeStatus> response) {
    response.onNext(status.status());
    response.onCompleted();
  }

  @Override
  public void takeSnapshot(TakeSnapshotRequest request, StreamObserver<TakeSnapshotResult> response) {
    if (refusesWrites(response)) {
      return;
    }
    reply(response, raft.takeSnapshot(), index -> TakeSnapshotResult.newBuilder().setIndex(index).build());
  }

  // ---- writes ----

  @Override
  public void enqueue(EnqueueRequest request, StreamObserver<EnqueueResult> response) {
    write(response, Command.newBuilder().setEnqueue(request), CommandResult::getEnqueue);
  }

  @Override
  public void enqueueBatch(EnqueueBatchRequest request, StreamObserver<EnqueueBatchResult> response) {
    write(response, Command.newBuilder().setEnqueueBatch(request), CommandResult::getEnqueueBatch);
  }

  @Override
  public void claim(ClaimRequest request, StreamObserver<ClaimResult> response) {
    write(response, Command.newBuilder().setClaim(request), CommandResult::getClaim);
  }

  @Override
  public void extend(ExtendRequest request, StreamObserver<ItemResult> response) {
    write(response, Command.newBuilder().setExtend(request), CommandResult::getItem);
  }

  @Override
  public void start(StartRequest request, StreamObserver<ItemResult> response) {
    write(response, Command.newBuilder().setStart(request), CommandResult::getItem);
  }

  @Override
  public void complete(CompleteRequest request, StreamObserver<ItemResult> response) {
    write(response, Command.newBuilder().setComplete(request), CommandResult::getItem);
  }

  @Override
  public void fail(FailRequest request, StreamObserver<ItemResult> response) {
    write(response, Command.newBuilder().setFail(request), CommandResult::getItem);
  }

  @Override
  public void release(ReleaseRequest request, StreamObserver<ItemResult> response) {
    write(response, Command.newBuilder().setRelease(request), CommandResult::getItem);
  }

  @Override
  public void cancel(CancelRequest request, StreamObserver<ItemResult> response) {
    write(response, Command.newBuilder().setCancel(request), CommandResult::getItem);
  }

  @Override
  public void redrive(RedriveRequest request, StreamObserver<ItemsResult> response) {
    write(response, Command.newBuilder().setRedrive(request), CommandResult::getItems);
  }

  @Override
  public void heartbeat(HeartbeatRequest request, StreamObserver<NodeResult> response) {
    write(response, Command.newBuilder().setHeartbeat(request), CommandResult::getNode);
  }

  @Override
  public void blacklistNode(BlacklistNodeRequest request, StreamObserver<NodeResult> response) {
    if (request.getNodeId().isEmpty()) {
      write(response, Command.newBuilder().setBlacklistNode(request), CommandResult::getNode);
      return;
    }
    // A typo must not blacklist a node that does not exist (the state machine would register it).
    // Refused here rather than in the state machine, so that replaying an existing log is unchanged.
    replicated.read(Query.newBuilder().setListNodes(ListNodesRequest.getDefaultInstance()).build())
        .whenComplete((known, error) -> {
          if (error == null && !known.hasRejected() && known.getListNodes().getNodesList().stream()
              .noneMatch(n -> n.getNodeId().equals(request.getNodeId()))) {
            response.onError(Rejections.notProposed(ErrorKind.NOT_FOUND, "node_id: no node " + request.getNodeId()
                + " in the registry (rrctl nodes ls lists the known nodes; a node registers with its first heartbeat)"));
            return;
          }
          write(response, Command.newBuilder().setBlacklistNode(request), CommandResult::getNode);
        });
  }

  @Override
  public void unblacklistNode(UnblacklistNodeRequest request, StreamObserver<NodeResult> response) {
    write(response, Command.newBuilder().setUnblacklistNode(request), CommandResult::getNode);
  }

  @Override
  public void drainNode(DrainNodeRequest request, StreamObserver<NodeResult> response) {
    write(response, Command.newBuilder().setDrainNode(request), CommandResult::getNode);
  }

  @Override
  public void setConfig(SetConfigRequest request, StreamObserver<ConfigEntry> response) {
    write(response, Command.newBuilder().setSetConfig(request), CommandResult::getConfig);
  }

  @Override
  public void setDaemonDesired(SetDaemonDesiredRequest request, StreamObserver<DaemonDesired> response) {
    write(response, Command.newBuilder().setSetDaemonDesired(request), CommandResult::getDaemon);
  }

  @Override
  public void syncTrigger(org.ringrift.cluster.proto.SyncTriggerRequest request, StreamObserver<Event> response) {
    if (refusesWrites(response)) {
      return;
    }
    reply(response, replicated.read(org.ringrift.cluster.node.sync.SyncTriggers.nodesQuery())
        .thenCompose(nodes -> replicated.submit(withSession(
            org.ringrift.cluster.node.sync.SyncTriggers.command(request, nodes)))),
        result -> {
          if (result.hasRejected()) {
            throw Rejections.toStatus(result.getRejected());
          }
          return result.getEvent();
        });
  }

  @Override
  public void openSession(org.ringrift.cluster.proto.OpenSessionRequest request,
      StreamObserver<org.ringrift.cluster.proto.SessionResult> response) {
    write(response, Command.newBuilder().setOpenSession(request), CommandResult::getSession);
  }

  @Override
  public void closeSession(org.ringrift.cluster.proto.CloseSessionRequest request,
      StreamObserver<org.ringrift.cluster.proto.SessionResult> response) {
    write(response, Command.newBuilder().setCloseSession(request), CommandResult::getSession);
  }

  // ---- feature level (rolling upgrades) ----

  private static final Query FEATURE_LEVEL = Query.newBuilder()
      .setGetFeatureLevel(org.ringrift.cluster.proto.GetFeatureLevelRequest.getDefaultInstance()).build();
  private static final Query NODES = Query.newBuilder().setListNodes(ListNodesRequest.getDefaultInstance()).build();

  /** The replicated level and what every member reported, both linearizable reads. */
  private CompletableFuture<org.ringrift.cluster.proto.FeatureLevelStatus> featureStatus() {
    return replicated.read(FEATURE_LEVEL).thenCombine(replicated.read(NODES), (level, nodes) -> {
      if (level.hasRejected()) {
        throw Rejections.toStatus(level.getRejected());
      }
      return FeatureLevelCheck.status(level.getFeatureLevel(), raft.members(), nodes.getListNodes().getNodesList(),
          org.ringrift.cluster.statemachine.features.BuildVersion.version(), raft.features());
    });
  }

  @Override
  public void getFeatureLevel(org.ringrift.cluster.proto.GetFeatureLevelRequest request,
      StreamObserver<org.ringrift.cluster.proto.FeatureLevelStatus> response) {
    reply(response, featureStatus(), status -> status);
  }

  /**
   * Moves the feature level only when every voter and listener reports a binary that supports the
   * target; lowering past a level already used is refused by apply (deterministically).
   */
  @Override
  public void setFeatureLevel(org.ringrift.cluster.proto.SetFeatureLevelRequest request,
      StreamObserver<org.ringrift.cluster.proto.FeatureLevelResult> response) {
    try {
      org.ringrift.cluster.statemachine.features.FeatureCommands.check(request);
    } catch (RejectedException rejected) {
      response.onError(Rejections.toStatus(rejected.rejection()));
      return;
    }
    if (refusesWrites(response)) {
      return;
    }
    reply(response, featureStatus().thenCompose(status -> {
      List<String> missing = FeatureLevelCheck.unsupporting(status, request.getLevel());
      if (!missing.isEmpty()) {
        throw Rejections.notProposed(ErrorKind.FAILED_PRECONDITION, "level: cannot set the feature level to "
            + request.getLevel() + " (now " + status.getLevel().getLevel() + "): " + String.join(", ", missing)
            + (missing.size() == 1 ? " does" : " do") + " not support it; upgrade "
            + (missing.size() == 1 ? "it" : "them") + " first (rrctl cluster feature-level)");
      }
      LOG.info("feature level change proposed node={} from={} to={}", raft.id(), status.getLevel().getLevel(),
          request.getLevel());
      return replicated.submit(withSession(Command.newBuilder().setSetFeatureLevel(request)));
    }), result -> {
      if (result.hasRejected()) {
        throw Rejections.toStatus(result.getRejected());
      }
      return result.getFeatureLevel();
    });
  }

  /** Feature level 2. Refused here, naming the level, while the cluster is below it; apply decides anyway. */
  @Override
  public void annotateItem(org.ringrift.cluster.proto.AnnotateItemRequest request, StreamObserver<ItemResult> response) {
    Command.Builder command = Command.newBuilder().setAnnotateItem(request);
    try {
      checks.check(command.build());
    } catch (RejectedException rejected) {
      response.onError(Rejections.toStatus(rejected.rejection()));
      return;
    }
    if (refusesWrites(response)) {
      return;
    }
    int needed = org.ringrift.cluster.statemachine.features.FeatureLevels.ANNOTATE;
    reply(response, replicated.read(FEATURE_LEVEL).thenCompose(level -> {
      int current = level.getFeatureLevel().getLevel();
      if (current < needed) {
        throw Rejections.notProposed(ErrorKind.FAILED_PRECONDITION, "feature_level: annotate needs feature level "
            + needed + " but the cluster is at feature level " + current + "; once every node runs a binary that "
            + "supports it, raise it with rrctl cluster upgrade --to " + needed);
      }
      return replicated.submit(withSession(command));
    }), result -> {
      if (result.hasRejected()) {
        throw Rejections.toStatus(result.getRejected());
      }
      return result.getItem();
    });
  }

  // ---- reads ----

  @Override
  public void listSessions(org.ringrift.cluster.proto.ListSessionsRequest request,
      StreamObserver<org.ringrift.cluster.proto.ListSessionsResult> response) {
    read(response, Query.newBuilder().setListSessions(request), QueryResult::getListSessions);
  }

  @Override
  public void getItem(GetItemRequest request, StreamObserver<GetItemResult> response) {
    read(response, Query.newBuilder().setGetItem(request), QueryResult::getGetItem);
  }

  @Override
  public void listItems(ListItemsRequest request, StreamObserver<ListItemsResult> response) {
    read(response, Query.newBuilder().setListItems(request), QueryResult::getListItems);
  }

  @Override
  public void getQueueStats(QueueStatsRequest request, StreamObserver<QueueStats> response) {
    read(response, Query.newBuilder().setQueueStats(request), QueryResult::getQueueStats);
  }

  @Override
  public void listNodes(ListNodesRequest request, StreamObserver<ListNodesResult> response) {
    read(response, Query.newBuilder().setListNodes(request), QueryResult::getListNodes);
  }

  @Override
  public void getConfig(GetConfigRequest request, StreamObserver<GetConfigResult> response) {
    read(response, Query.newBuilder().setGetConfig(request), QueryResult::getGetConfig);
  }

  @Override
  public void listDaemonDesired(ListDaemonDesiredRequest request, StreamObserver<ListDaemonDesiredResult> response) {
    read(response, Query.newBuilder().setListDaemons(request), QueryResult::getListDaemons);
  }

  @Override
  public void recentEvents(RecentEventsRequest request, StreamObserver<RecentEventsResult> response) {
    read(response, Query.newBuilder().setRecentEvents(request), QueryResult::getRecentEvents);
  }

  @Override
  public void leaderHistory(LeaderHistoryRequest request, StreamObserver<LeaderHistoryResult> response) {
    read(response, Query.newBuilder().setLeaderHistory(request), QueryResult::getLeaderHistory);
  }

  @Override
  public void syncHistory(SyncHistoryRequest request, StreamObserver<SyncHistoryResult> response) {
    read(response, Query.newBuilder().setSyncHistory(request), QueryResult::getSyncHistory);
  }

  @Override
  public void getDigest(DigestRequest request, StreamObserver<DigestResult> response) {
    read(response, Query.newBuilder().setDigest(request), QueryResult::getDigest);
  }

  /** Puts the call's client session (from its headers) on the command: apply runs it once. */
  private static Command.Builder withSession(Command.Builder command) {
    SessionHeaders.current().ifPresent(command::setSession);
    return command;
  }

  /** Answers RESOURCE_EXHAUSTED and returns true while this node refuses writes. */
  private boolean refusesWrites(StreamObserver<?> response) {
    java.util.Optional<String> refusal = writeRefusal.get();
    refusal.ifPresent(reason -> response.onError(Rejections.toStatus(ErrorKind.BACKPRESSURE, reason)));
    return refusal.isPresent();
  }

  private <T> void write(StreamObserver<T> response, Command.Builder command, Function<CommandResult, T> extract) {
    if (refusesWrites(response)) {
      return;
    }
    withSession(command);
    if (CommandChecks.isLeaderOnly(command.build())) {
      response.onError(Rejections.toStatus(ErrorKind.INVALID_ARGUMENT, "leader-daemon commands are not accepted here"));
      return;
    }
    try {
      checks.check(command.build());
    } catch (RejectedException rejected) {
      response.onError(Rejections.toStatus(rejected.rejection()));
      return;
    }
    reply(response, replicated.submit(command), result -> {
      if (result.hasRejected()) {
        throw Rejections.toStatus(result.getRejected());
      }
      return extract.apply(result);
    });
  }

  private <T> void read(StreamObserver<T> response, Query.Builder query, Function<QueryResult, T> extract) {
    reply(response, replicated.read(query.build()), result -> {
      if (result.hasRejected()) {
        throw Rejections.toStatus(result.getRejected());
      }
      return extract.apply(result);
    });
  }

  private static <R, T> void reply(StreamObserver<T> response, CompletableFuture<R> future, Function<R, T> extract) {
    future.thenApply(extract).whenComplete((value, error) -> {
      if (error == null) {
        response.onNext(value);
        response.onCompleted();
        return;
      }
      Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
      if (cause instanceof io.grpc.StatusRuntimeException status) {
        response.onError(status);
      } else if (cause instanceof org.ringrift.cluster.raft.RaftCallException failed) {
        LOG.debug("raft call failed kind={} error={}", failed.kind(), failed.getMessage());
        response.onError(failed.kind() == org.ringrift.cluster.raft.RaftCallException.Kind.BACKPRESSURE
            ? Rejections.notProposed(ErrorKind.BACKPRESSURE, failed.getMessage())
            : failed.notProposed()
                ? Rejections.notProposed(ErrorKind.UNAVAILABLE, "cluster unavailable: " + failed.getMessage())
                : Rejections.toStatus(ErrorKind.UNAVAILABLE, "cluster unavailable: " + failed.getMessage()));
      } else {
        LOG.debug("replicated call failed: {}", cause.toString());
        response.onError(Rejections.toStatus(ErrorKind.UNAVAILABLE, "cluster unavailable: " + cause.getMessage()));
      }
    });
  }
}
