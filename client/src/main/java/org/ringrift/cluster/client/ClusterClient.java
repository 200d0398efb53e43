package org.ringrift.cluster.client;

import io.grpc.Deadline;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.ringrift.cluster.contract.Endpoint;
import org.ringrift.cluster.contract.LeaderHints;
import org.ringrift.cluster.contract.errors.ErrorKind;
import org.ringrift.cluster.contract.errors.Rejections;
import org.ringrift.cluster.proto.AdminServiceGrpc;
import org.ringrift.cluster.proto.BlacklistNodeRequest;
import org.ringrift.cluster.proto.CancelRequest;
import org.ringrift.cluster.proto.ConfigEntry;
import org.ringrift.cluster.proto.DaemonDesired;
import org.ringrift.cluster.proto.DaemonInfo;
import org.ringrift.cluster.proto.WatchEventsRequest;
import org.ringrift.cluster.proto.ListMembersRequest;
import org.ringrift.cluster.proto.Member;
import org.ringrift.cluster.proto.TransferLeaderRequest;
import org.ringrift.cluster.proto.TransferLeaderResult;
import org.ringrift.cluster.proto.ListDaemonsRequest;
import org.ringrift.cluster.proto.ListDaemonsResult;
import org.ringrift.cluster.proto.RestartDaemonRequest;
import org.ringrift.cluster.proto.DrainNodeRequest;
import org.ringrift.cluster.proto.EnqueueBatchRequest;
import org.ringrift.cluster.proto.EnqueueBatchResult;
import org.ringrift.cluster.proto.Event;
import org.ringrift.cluster.proto.ExtendRequest;
import org.ringrift.cluster.proto.FailRequest;
import org.ringrift.cluster.proto.GetConfigRequest;
import org.ringrift.cluster.proto.HeartbeatRequest;
import org.ringrift.cluster.proto.LeaderHistoryRequest;
import org.ringrift.cluster.proto.LeaderRecord;
import org.ringrift.cluster.proto.ListDaemonDesiredRequest;
import org.ringrift.cluster.proto.ListItemsRequest;
import org.ringrift.cluster.proto.ListItemsResult;
import org.ringrift.cluster.proto.ListNodesRequest;
import org.ringrift.cluster.proto.NodeRecord;
import org.ringrift.cluster.proto.RecentEventsRequest;
import org.ringrift.cluster.proto.RedriveRequest;
import org.ringrift.cluster.proto.ReleaseRequest;
import org.ringrift.cluster.proto.SetConfigRequest;
import org.ringrift.cluster.proto.SetDaemonDesiredRequest;
import org.ringrift.cluster.proto.StartRequest;
import org.ringrift.cluster.proto.SyncHistoryRequest;
import org.ringrift.cluster.proto.SyncRecord;
import org.ringrift.cluster.proto.TakeSnapshotRequest;
import org.ringrift.cluster.proto.UnblacklistNodeRequest;
import org.ringrift.cluster.proto.AdminServiceGrpc.AdminServiceBlockingStub;
import org.ringrift.cluster.proto.ClaimRequest;
import org.ringrift.cluster.proto.ClaimResult;
import org.ringrift.cluster.proto.CompleteRequest;
import org.ringrift.cluster.proto.DigestRequest;
import org.ringrift.cluster.proto.DigestResult;
import org.ringrift.cluster.proto.EnqueueRequest;
import org.ringrift.cluster.proto.EnqueueResult;
import org.ringrift.cluster.proto.GetItemRequest;
import org.ringrift.cluster.proto.NodeStatus;
import org.ringrift.cluster.proto.QueueStats;
import org.ringrift.cluster.proto.QueueStatsRequest;
import org.ringrift.cluster.proto.StatusRequest;
import org.ringrift.cluster.proto.WorkItem;

/**
 * A client of the admin API, safe to share between threads: calls run concurrently, nothing
 * serializes them. Every reply names the leader ({@link LeaderHints}) and the next call goes there
 * first, so a write or a linearizable read takes one hop; any node still answers (a follower
 * forwards). When a node is unreachable the call moves on to the next endpoint, all within one
 * overall deadline. Reads and enqueues move on after any
 * unavailability (enqueues without an idempotency key get one, so moving on never enqueues
 * twice); every other write moves on only when it provably reached no node, and otherwise fails
 * with its outcome unknown, because a second copy at another node could be applied twice.
 */
public final class ClusterClient implements AutoCloseable {
  /** Leader addresses outside the configured endpoints that get a channel of their own, at most. */
  static final int MAX_EXTRA_CHANNELS = 16;
  /** A write that found no node answering waits this long before its next round, doubling up to the max. */
  static final long FIRST_RETRY_PAUSE_MS = 20;
  static final long MAX_RETRY_PAUSE_MS = 500;
  /** How long close() gives the cluster to end this client's session. */
  static final long SESSION_CLOSE_MS = 1_000;
  /** The shortest share of a deadline one attempt gets when other nodes remain to be tried. */
  static final long MIN_ATTEMPT_MS = 300;

  private final List<Endpoint> endpoints;
  private final List<ManagedChannel> channels = new ArrayList<>();
  private final List<io.grpc.Channel> hinted = new ArrayList<>();
  private final java.util.concurrent.ConcurrentMap<Endpoint, ManagedChannel> extraChannels =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final org.ringrift.cluster.contract.tls.TlsChannels transport;
  private final LeaderHintTracker hints = new LeaderHintTracker();
  private final Duration timeout;
  private final boolean followLeader;
  /** The name this client's session is listed under; null: no session, writes at most once. */
  private final String sessionClientName;
  private final java.util.concurrent.atomic.AtomicReference<ClientSession> session =
      new java.util.concurrent.atomic.AtomicReference<>();
  private final java.util.concurrent.atomic.AtomicInteger preferred = new java.util.concurrent.atomic.AtomicInteger();

  public ClusterClient(List<Endpoint> endpoints, Duration timeout) {
    this(endpoints, timeout, org.ringrift.cluster.contract.tls.TlsChannels.plaintext());
  }

  /** {@code transport}: mutual TLS with the caller's certificate, or plaintext (loopback dev clusters). */
  public ClusterClient(List<Endpoint> endpoints, Duration timeout, org.ringrift.cluster.contract.tls.TlsChannels transport) {
    this(endpoints, timeout, transport, true, defaultClientName());
  }

  /** {@code clientName}: how this client's session is listed (rrctl state sessions). */
  public ClusterClient(List<Endpoint> endpoints, Duration timeout, org.ringrift.cluster.contract.tls.TlsChannels transport,
      String clientName) {
    this(endpoints, timeout, transport, true, clientName);
  }

  /**
   * A client of exactly one node, which never follows a leader hint elsewhere: for checks of that
   * node itself (does it take a write, does it refuse one), not for ordinary use.
   */
  public static ClusterClient pinnedTo(Endpoint endpoint, Duration timeout,
      org.ringrift.cluster.contract.tls.TlsChannels transport) {
    return new ClusterClient(List.of(endpoint), timeout, transport, false, defaultClientName());
  }

  /**
   * A client whose writes carry no session: each goes to one node at most and ends in {@code
   * outcome unknown} when its answer is lost. For measuring what sessions cost, and for clusters
   * that have none.
   */
  public static ClusterClient withoutSessions(List<Endpoint> endpoints, Duration timeout,
      org.ringrift.cluster.contract.tls.TlsChannels transport) {
    return new ClusterClient(endpoints, timeout, transport, true, null);
  }

  public static ClusterClient pinnedTo(Endpoint endpoint, Duration timeout) {
    return pinnedTo(endpoint, timeout, org.ringrift.cluster.contract.tls.TlsChannels.plaintext());
  }

  private ClusterClient(List<Endpoint> endpoints, Duration timeout, org.ringrift.cluster.contract.tls.TlsChannels transport,
      boolean followLeader, String clientName) {
    this.followLeader = followLeader;
    this.sessionClientName = clientName;
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("no endpoint given");
    }
    this.endpoints = List.copyOf(endpoints);
    this.timeout = timeout;
    this.transport = transport;
    for (Endpoint endpoint : this.endpoints) {
      ManagedChannel channel = transport.channel(endpoint.host(), endpoint.port());
      channels.add(channel);
      hinted.add(io.grpc.ClientInterceptors.intercept(channel, hints));
    }
  }

  public List<Endpoint> endpoints() {
    return endpoints;
  }

  /** The leader as the latest reply named it, if any did. */
  public java.util.Optional<LeaderHints.Hint> leaderHint() {
    return hints.latest();
  }

  /** The status of the first node that answers, as that node sees it (leader hints are not followed). */
  public NodeStatus status() {
    return call(Delivery.REPEATABLE, false, stub -> stub.status(StatusRequest.getDefaultInstance()));
  }

  /** The status of one node, as that node sees it. */
  public NodeStatus statusOf(Endpoint endpoint) {
    return callOne(endpoints.indexOf(endpoint), stub -> stub.status(StatusRequest.getDefaultInstance()));
  }

  public EnqueueResult enqueue(EnqueueRequest request) {
    EnqueueRequest keyed = request.getIdempotencyKey().isEmpty()
        ? request.toBuilder().setIdempotencyKey("auto-" + UUID.randomUUID()).build()
        : request;
    return call(stub -> stub.enqueue(keyed));
  }

  public ClaimResult claim(ClaimRequest request) {
    return write(stub -> stub.claim(request));
  }

  public WorkItem complete(CompleteRequest request) {
    return write(stub -> stub.complete(request)).getItem();
  }

  public EnqueueBatchResult enqueueBatch(EnqueueBatchRequest request) {
    EnqueueBatchRequest.Builder keyed = request.toBuilder().clearItems();
    for (EnqueueRequest item : request.getItemsList()) {
      keyed.addItems(item.getIdempotencyKey().isEmpty()
          ? item.toBuilder().setIdempotencyKey("auto-" + UUID.randomUUID()).build() : item);
    }
    EnqueueBatchRequest batch = keyed.build();
    return call(stub -> stub.enqueueBatch(batch));
  }

  public WorkItem extend(ExtendRequest request) {
    return write(stub -> stub.extend(request)).getItem();
  }

  public WorkItem start(StartRequest request) {
    return write(stub -> stub.start(request)).getItem();
  }

  public WorkItem fail(FailRequest request) {
    return write(stub -> stub.fail(request)).getItem();
  }

  public WorkItem release(ReleaseRequest request) {
    return write(stub -> stub.release(request)).getItem();
  }

  public WorkItem cancel(CancelRequest request) {
    return write(stub -> stub.cancel(request)).getItem();
  }

  public List<WorkItem> redrive(RedriveRequest request) {
    return write(stub -> stub.redrive(request)).getItemsList();
  }

  /** Feature level 2: sets an item's operator note. */
  public WorkItem annotateItem(String itemId, String note) {
    return write(stub -> stub.annotateItem(org.ringrift.cluster.proto.AnnotateItemRequest.newBuilder()
        .setItemId(itemId).setNote(note).build())).getItem();
  }

  /** The replicated feature level and what every member's binary supports. */
  public org.ringrift.cluster.proto.FeatureLevelStatus featureLevel() {
    return call(stub -> stub.getFeatureLevel(org.ringrift.cluster.proto.GetFeatureLevelRequest.getDefaultInstance()));
  }

  /** Moves the feature level; refused (FAILED_PRECONDITION) naming every member that does not support it. */
  public org.ringrift.cluster.proto.FeatureLevelResult setFeatureLevel(int level) {
    return write(stub -> stub.setFeatureLevel(org.ringrift.cluster.proto.SetFeatureLevelRequest.newBuilder()
        .setLevel(level).build()));
  }

  public ListItemsResult listItems(ListItemsRequest request) {
    return call(stub -> stub.listItems(request));
  }

  public NodeRecord heartbeat(HeartbeatRequest request) {
    return write(stub -> stub.heartbeat(request)).getNode();
  }

  public List<NodeRecord> listNodes() {
    return call(stub -> stub.listNodes(ListNodesRequest.getDefaultInstance())).getNodesList();
  }

  public NodeRecord blacklistNode(BlacklistNodeRequest request) {
    return write(stub -> stub.blacklistNode(request)).getNode();
  }

  public NodeRecord unblacklistNode(String nodeId) {
    return write(stub -> stub.unblacklistNode(UnblacklistNodeRequest.newBuilder().setNodeId(nodeId).build())).getNode();
  }

  public NodeRecord drainNode(String nodeId, boolean draining) {
    return write(stub -> stub.drainNode(DrainNodeRequest.newBuilder().setNodeId(nodeId).setDraining(draining).build()))
        .getNode();
  }

  public List<ConfigEntry> getConfig(String key) {
    return call(stub -> stub.getConfig(GetConfigRequest.newBuilder().setKey(key).build())).getEntriesList();
  }

  public ConfigEntry setConfig(String key, String value) {
    return write(stub -> stub.setConfig(SetConfigRequest.newBuilder().setKey(key).setValue(value).build()));
  }

  public List<DaemonDesired> listDaemonDesired() {
    return call(stub -> stub.listDaemonDesired(ListDaemonDesiredRequest.getDefaultInstance())).getDaemonsList();
  }

  public DaemonDesired setDaemonDesired(String name, boolean enabled) {
    return write(stub -> stub.setDaemonDesired(
        SetDaemonDesiredRequest.newBuilder().setName(name).setEnabled(enabled).build()));
  }

  public List<Event> recentEvents(RecentEventsRequest request) {
    return call(stub -> stub.recentEvents(request)).getEventsList();
  }

  public List<LeaderRecord> leaderHistory(int limit) {
    return call(stub -> stub.leaderHistory(LeaderHistoryRequest.newBuilder().setLimit(limit).build())).getLeadersList();
  }

  public List<SyncRecord> syncHistory(SyncHistoryRequest request) {
    return call(stub -> stub.syncHistory(request)).getRecordsList();
  }

  /** Records a sync trigger for {@code dataset}, to {@code targetNode} or (empty) the policy's nodes. */
  public Event syncTrigger(String dataset, String targetNode) {
    return write(stub -> stub.syncTrigger(org.ringrift.cluster.proto.SyncTriggerRequest.newBuilder().setDataset(dataset)
        .setTargetNode(targetNode).build()));
  }

  /**
   * Follows events as the first reachable node applies them, until {@code handler} returns false
   * or the stream ends; the call has no overall deadline.
   */
  public void watchEvents(WatchEventsRequest request, java.util.function.Predicate<Event> handler) {
    for (int i = 0; i < endpoints.size(); i++) {
      int index = (preferred.get() + i) % endpoints.size();
      io.grpc.Context.CancellableContext context = io.grpc.Context.current().withCancellation();
      try {
        context.run(() -> {
          java.util.Iterator<Event> stream = AdminServiceGrpc.newBlockingStub(hinted.get(index)).watchEvents(request);
          while (stream.hasNext()) {
            if (!handler.test(stream.next())) {
              return;
            }
          }
        });
        return;
      } catch (StatusRuntimeException e) {
        ClusterException failure = translate(e, endpoints.get(index));
        if (failure.kind() != ErrorKind.UNAVAILABLE) {
          throw failure;
        }
      } finally {
        context.cancel(null);
      }
    }
    throw new ClusterException(ErrorKind.UNAVAILABLE, "no node reachable at " + endpoints + " to watch events");
  }

  /** The Raft configuration as the first node that answers knows it. */
  public List<Member> members() {
    return call(Delivery.REPEATABLE, false, stub -> stub.listMembers(ListMembersRequest.getDefaultInstance()))
        .getMembersList();
  }

  public List<Member> addMember(String id, String address, boolean listener) {
    return adminWrite(stub -> stub.addMember(org.ringrift.cluster.proto.AddMemberRequest.newBuilder().setId(id)
        .setAddress(address).setListener(listener).build())).getMembersList();
  }

  public List<Member> removeMember(String id) {
    return adminWrite(stub -> stub.removeMember(org.ringrift.cluster.proto.RemoveMemberRequest.newBuilder().setId(id)
        .build())).getMembersList();
  }

  public TransferLeaderResult transferLeader(String to) {
    return adminWrite(stub -> stub.transferLeader(TransferLeaderRequest.newBuilder().setTo(to).build()));
  }

  /** One node's daemons as that node sees them. */
  public ListDaemonsResult listDaemons(Endpoint endpoint) {
    return callOne(endpoints.indexOf(endpoint), stub -> stub.listDaemons(ListDaemonsRequest.getDefaultInstance()));
  }

  public DaemonInfo restartDaemon(Endpoint endpoint, String name) {
    return callOne(endpoints.indexOf(endpoint),
        stub -> stub.restartDaemon(RestartDaemonRequest.newBuilder().setName(name).build()));
  }

  /** Asks one node to take a snapshot now; returns the log index it covers. */
  public long takeSnapshot(Endpoint endpoint) {
    return callOne(endpoints.indexOf(endpoint), stub -> stub.takeSnapshot(TakeSnapshotRequest.getDefaultInstance()))
        .getIndex();
  }

  public WorkItem getItem(String itemId) {
    return call(stub -> stub.getItem(GetItemRequest.newBuilder().setItemId(itemId).build())).getItem();
  }

  public QueueStats queueStats() {
    return call(stub -> stub.getQueueStats(QueueStatsRequest.getDefaultInstance()));
  }

  /** One node's local queue counts, once it has caught up with the leader's commit index. */
  public QueueStats queueStatsOf(Endpoint endpoint) {
    return callOne(endpoints.indexOf(endpoint), stub -> stub.getQueueStats(QueueStatsRequest.getDefaultInstance()));
  }

  /** The state digest of one node's local state. */
  public DigestResult digestOf(Endpoint endpoint) {
    return callOne(endpoints.indexOf(endpoint), stub -> stub.getDigest(DigestRequest.getDefaultInstance()));
  }

  /** The open client sessions (first {@code limit} by id) and the session counters: a linearizable read. */
  public org.ringrift.cluster.proto.ListSessionsResult listSessions(int limit) {
    return call(stub -> stub.listSessions(
        org.ringrift.cluster.proto.ListSessionsRequest.newBuilder().setLimit(limit).build()));
  }

  /** A linearizable read of the replicated state: the leader first, when a reply named it. */
  private <T> T call(Function<AdminServiceBlockingStub, T> rpc) {
    return call(Delivery.REPEATABLE, true, rpc);
  }

  /**
   * A change of the Raft configuration or leadership: not a replicated command, so no session can
   * deduplicate it; it moves to another node only when it provably reached none.
   */
  private <T> T adminWrite(Function<AdminServiceBlockingStub, T> rpc) {
    return call(Delivery.AT_MOST_ONCE, true, rpc);
  }

  /**
   * A write, exactly once: it carries this client's session and the next sequence number, and is
   * sent again with the same number, to the same or another node, until it is answered or the
   * deadline passes; the cluster applies it once and answers a resend with the first result. A
   * session the cluster no longer knows before the write can have applied is replaced once.
   */
  private <T> T write(Function<AdminServiceBlockingStub, T> rpc) {
    if (sessionClientName == null) {
      return call(Delivery.AT_MOST_ONCE, true, rpc);
    }
    Deadline deadline = Deadline.after(timeout.toMillis(), TimeUnit.MILLISECONDS);
    for (int opened = 0; ; opened++) {
      ClientSession current = session(deadline);
      long seq = current.begin();
      try {
        return sessionWrite(current, seq, deadline, rpc);
      } catch (SessionGone gone) {
        session.compareAndSet(current, null);
        if (opened >= 1) {
          throw gone.failure;
        }
      } finally {
        current.finish(seq);
      }
    }
  }

  /** The session's write was refused because the cluster no longer knows the session; nothing was applied. */
  private static final class SessionGone extends RuntimeException {
    final ClusterException failure;

    SessionGone(ClusterException failure) {
      super(failure.getMessage(), null, false, false);
      this.failure = failure;
    }
  }

  /** Opens this client's session now, if it has none (the first write does it otherwise); returns its id. */
  public long openSession() {
    return session(Deadline.after(timeout.toMillis(), TimeUnit.MILLISECONDS)).id();
  }

  private ClientSession session(Deadline deadline) {
    ClientSession current = session.get();
    if (current != null) {
      return current;
    }
    synchronized (session) {
      current = session.get();
      if (current == null) {
        // Opening is not deduplicated: an answer lost here leaves an unused session that expires.
        long id = call(Delivery.REPEATABLE, true, stub -> stub.openSession(
            org.ringrift.cluster.proto.OpenSessionRequest.newBuilder().setClientName(sessionClientName).build()))
            .getSessionId();
        current = new ClientSession(id);
        session.set(current);
      }
      return current;
    }
  }

  private <T> T sessionWrite(ClientSession current, long seq, Deadline deadline,
      Function<AdminServiceBlockingStub, T> rpc) {
    List<String> failures = new ArrayList<>();
    boolean mayHaveApplied = false;
    int attempts = 0;
    long pauseMs = FIRST_RETRY_PAUSE_MS;
    while (!deadline.isExpired()) {
      List<Endpoint> order = callOrder(followLeader);
      for (Endpoint endpoint : order) {
        if (deadline.isExpired()) {
          break;
        }
        attempts++;
        try {
          // Resending is safe (same session and seq), so no attempt waits out the whole deadline.
          T result = rpc.apply(stub(endpoint, attemptDeadline(deadline, Math.max(2, order.size()))).withInterceptors(
              io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(current.headers(seq))));
          int index = endpoints.indexOf(endpoint);
          if (index >= 0) {
            preferred.set(index);
          }
          return result;
        } catch (StatusRuntimeException e) {
          ClusterException failure = translate(e, endpoint);
          if (failure.kind() == ErrorKind.SESSION_EXPIRED) {
            if (!mayHaveApplied) {
              throw new SessionGone(failure);
            }
            throw new ClusterException(ErrorKind.UNAVAILABLE, "outcome unknown: session " + current.id()
                + " expired while write " + seq + " was being sent again; it may have been applied once: "
                + failure.getMessage(), e);
          }
          if (failure.kind() != ErrorKind.UNAVAILABLE) {
            throw failure;
          }
          mayHaveApplied |= !Delivery.neverSent(e);
          hints.forget(endpoint);
          failures.add(failure.getMessage());
        }
      }
      long leftMs = deadline.timeRemaining(TimeUnit.MILLISECONDS);
      if (leftMs <= 0) {
        break;
      }
      pause(Math.min(pauseMs, leftMs));
      pauseMs = Math.min(pauseMs * 2, MAX_RETRY_PAUSE_MS);
    }
    String recent = String.join("; ", failures.subList(Math.max(0, failures.size() - 3), failures.size()));
    if (mayHaveApplied) {
      throw new ClusterException(ErrorKind.UNAVAILABLE, "outcome unknown: no answer within " + timeout.toMillis()
          + " ms after " + attempts + " attempts; the write may still be applied, exactly once (session "
          + current.id() + ", seq " + seq + "): " + recent);
    }
    throw new ClusterException(ErrorKind.UNAVAILABLE, "cluster unavailable within " + timeout.toMillis()
        + " ms: " + (failures.isEmpty() ? "deadline expired" : recent));
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClusterException(ErrorKind.UNAVAILABLE, "interrupted while retrying a write", e);
    }
  }

  private static String defaultClientName() {
    return "java-client@" + ProcessHandle.current().pid();
  }

  /** {@code toLeader}: the call is about the replicated state, so the leader answers it in one hop. */
  private <T> T call(Delivery delivery, boolean toLeader, Function<AdminServiceBlockingStub, T> rpc) {
    Deadline deadline = Deadline.after(timeout.toMillis(), TimeUnit.MILLISECONDS);
    List<String> failures = new ArrayList<>();
    List<Endpoint> order = callOrder(toLeader && followLeader);
    for (Endpoint endpoint : order) {
      if (deadline.isExpired()) {
        break;
      }
      try {
        // A repeatable call must not spend the whole deadline on one node that went silent.
        Deadline attempt = delivery == Delivery.REPEATABLE ? attemptDeadline(deadline, order.size()) : deadline;
        T result = rpc.apply(stub(endpoint, attempt));
        int index = endpoints.indexOf(endpoint);
        if (index >= 0) {
          preferred.set(index);
        }
        return result;
      } catch (StatusRuntimeException e) {
        ClusterException failure = translate(e, endpoint);
        if (failure.kind() != ErrorKind.UNAVAILABLE) {
          throw failure;
        }
        hints.forget(endpoint);
        if (!delivery.mayMoveOn(e)) {
          // This node may be cut off from the leader: the next call starts at another one.
          preferred.set((Math.max(0, endpoints.indexOf(endpoint)) + 1) % endpoints.size());
          throw new ClusterException(ErrorKind.UNAVAILABLE, "outcome unknown: " + failure.getMessage()
              + " (the write may still be applied; it was not sent to another node, where it could apply twice)", e);
        }
        failures.add(failure.getMessage());
      }
    }
    throw new ClusterException(ErrorKind.UNAVAILABLE, "cluster unavailable within " + timeout.toMillis()
        + " ms: " + (failures.isEmpty() ? "deadline expired" : String.join("; ", failures)));
  }

  /**
   * One attempt's share of a call's deadline when other nodes could still answer: a third of the
   * timeout (at least {@link #MIN_ATTEMPT_MS}), so a node cut off mid-call leaves time for the rest.
   */
  private Deadline attemptDeadline(Deadline overall, int candidates) {
    if (candidates <= 1) {
      return overall;
    }
    Deadline attempt = Deadline.after(Math.max(MIN_ATTEMPT_MS, timeout.toMillis() / 3), TimeUnit.MILLISECONDS);
    return attempt.isBefore(overall) ? attempt : overall;
  }

  /** The leader a reply named first (if wanted and known), then every endpoint from the last one that answered. */
  private List<Endpoint> callOrder(boolean leaderFirst) {
    List<Endpoint> order = new ArrayList<>(endpoints.size() + 1);
    if (leaderFirst) {
      hints.latest().ifPresent(hint -> order.add(hint.endpoint()));
    }
    int start = preferred.get();
    for (int i = 0; i < endpoints.size(); i++) {
      Endpoint endpoint = endpoints.get((start + i) % endpoints.size());
      if (!order.contains(endpoint)) {
        order.add(endpoint);
      }
    }
    return order;
  }

  private <T> T callOne(int index, Function<AdminServiceBlockingStub, T> rpc) {
    if (index < 0) {
      throw new IllegalArgumentException("not one of this client's endpoints");
    }
    try {
      // A call aimed at one node waits for its channel (it may be reconnecting after a restart)
      // until the deadline, instead of failing fast as a call that can move on does.
      return rpc.apply(stub(endpoints.get(index), Deadline.after(timeout.toMillis(), TimeUnit.MILLISECONDS))
          .withWaitForReady());
    } catch (StatusRuntimeException e) {
      throw translate(e, endpoints.get(index));
    }
  }

  private AdminServiceBlockingStub stub(Endpoint endpoint, Deadline deadline) {
    return AdminServiceGrpc.newBlockingStub(channel(endpoint)).withDeadline(deadline);
  }

  /** The channel to a configured endpoint, or to a leader address a reply named (created once, bounded). */
  private io.grpc.Channel channel(Endpoint endpoint) {
    int index = endpoints.indexOf(endpoint);
    if (index >= 0) {
      return hinted.get(index);
    }
    ManagedChannel extra = extraChannels.get(endpoint);
    if (extra == null) {
      if (extraChannels.size() >= MAX_EXTRA_CHANNELS) {
        throw new io.grpc.StatusRuntimeException(io.grpc.Status.UNAVAILABLE.withDescription("leader address "
            + endpoint + " not used: this client already holds " + MAX_EXTRA_CHANNELS + " extra channels")
            .withCause(new java.net.ConnectException("not connected")));
      }
      extra = extraChannels.computeIfAbsent(endpoint, e -> transport.channel(e.host(), e.port()));
    }
    return io.grpc.ClientInterceptors.intercept(extra, hints);
  }

  private static ClusterException translate(StatusRuntimeException e, Endpoint endpoint) {
    if (answeredInHttp1(e)) {
      // Typically a node's HTTP port (/status, /metrics) given where its admin port belongs.
      return new ClusterException(ErrorKind.UNAVAILABLE, endpoint + " answered in HTTP/1, not gRPC: it is not "
          + "an admin port (give rrnode's --admin-port, e.g. 9770 on the dev cluster, whose 8770 is the HTTP port)", e);
    }
    String rejectCode = e.getTrailers() == null ? null : e.getTrailers().get(Rejections.REJECT_CODE);
    ErrorKind kind = ErrorKind.of(e.getStatus().getCode(), rejectCode);
    String description = e.getStatus().getDescription();
    String message = kind == ErrorKind.UNAVAILABLE
        ? endpoint + ": " + e.getStatus().getCode() + (description == null ? "" : " " + description)
        : description == null ? e.getStatus().getCode().toString() : description;
    return new ClusterException(kind, message, e);
  }

  /** gRPC's "http2 exception" for a peer whose first bytes were an HTTP/1 response ("HTTP/" is 485454502f). */
  private static boolean answeredInHttp1(StatusRuntimeException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String message = t.getMessage();
      if (message != null && (message.contains("485454502f") || message.contains("HTTP/1."))) {
        return true;
      }
    }
    return false;
  }

  /** The sessions this client opened so far are one; closing ends it on the cluster (best effort). */
  @Override
  public void close() {
    ClientSession open = session.getAndSet(null);
    if (open != null) {
      try {
        call(Delivery.REPEATABLE, true, stub -> stub.withDeadlineAfter(SESSION_CLOSE_MS, TimeUnit.MILLISECONDS)
            .closeSession(org.ringrift.cluster.proto.CloseSessionRequest.newBuilder().setSessionId(open.id()).build()));
      } catch (ClusterException notClosed) {
        // It expires after its idle timeout instead.
      }
    }
    List<ManagedChannel> all = new ArrayList<>(channels);
    all.addAll(extraChannels.values());
    for (ManagedChannel channel : all) {
      channel.shutdownNow();
    }
    for (ManagedChannel channel : all) {
      try {
        channel.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
