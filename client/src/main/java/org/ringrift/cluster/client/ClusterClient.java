package org.ringrift.cluster.client;

import org.ringrift.cluster.contract.Endpoint;
import org.ringrift.cluster.contract.LeaderHints;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.ringrift.cluster.contract.tls.TlsChannels;
import org.ringrift.cluster.proto.BlacklistNodeRequest;
import org.ringrift.cluster.proto.CancelRequest;
import org.ringrift.cluster.proto.ClaimRequest;
import org.ringrift.cluster.proto.ClaimResult;
import org.ringrift.cluster.proto.CompleteRequest;
import org.ringrift.cluster.proto.ConfigEntry;
import org.ringrift.cluster.proto.DaemonDesired;
import org.ringrift.cluster.proto.DaemonInfo;
import org.ringrift.cluster.proto.DigestResult;
import org.ringrift.cluster.proto.EnqueueBatchRequest;
import org.ringrift.cluster.proto.EnqueueBatchResult;
import org.ringrift.cluster.proto.EnqueueRequest;
import org.ringrift.cluster.proto.EnqueueResult;
import org.ringrift.cluster.proto.Event;
import org.ringrift.cluster.proto.ExtendRequest;
import org.ringrift.cluster.proto.FailRequest;
import org.ringrift.cluster.proto.FeatureLevelResult;
import org.ringrift.cluster.proto.FeatureLevelStatus;
import org.ringrift.cluster.proto.HeartbeatRequest;
import org.ringrift.cluster.proto.LeaderRecord;
import org.ringrift.cluster.proto.ListDaemonsResult;
import org.ringrift.cluster.proto.ListItemsRequest;
import org.ringrift.cluster.proto.ListItemsResult;
import org.ringrift.cluster.proto.ListSessionsResult;
import org.ringrift.cluster.proto.Member;
import org.ringrift.cluster.proto.NodeRecord;
import org.ringrift.cluster.proto.NodeStatus;
import org.ringrift.cluster.proto.QueueStats;
import org.ringrift.cluster.proto.RecentEventsRequest;
import org.ringrift.cluster.proto.RedriveRequest;
import org.ringrift.cluster.proto.ReleaseRequest;
import org.ringrift.cluster.proto.StartRequest;
import org.ringrift.cluster.proto.SyncHistoryRequest;
import org.ringrift.cluster.proto.SyncRecord;
import org.ringrift.cluster.proto.TransferLeaderResult;
import org.ringrift.cluster.proto.WatchEventsRequest;
import org.ringrift.cluster.proto.WorkItem;

/**
 * A client of the admin API, safe to share between threads. Every reply names the leader and the
 * next call goes there first ({@link LeaderHints}); an unreachable node's call moves on to the next
 * endpoint within one overall deadline ({@link LeaderCalls}); writes carry a session and apply
 * exactly once ({@link SessionWrites}). The calls of each area: {@link QueueCalls}, {@link
 * NodeCalls}, {@link ControlCalls}, {@link HistoryCalls}.
 */
public final class ClusterClient implements AutoCloseable {
  private final ChannelPool pool;
  private final LeaderCalls calls;
  private final SessionWrites writes;
  private final QueueCalls queue;
  private final NodeCalls nodes;
  private final ControlCalls control;
  private final HistoryCalls history;

  public ClusterClient(List<Endpoint> endpoints, Duration timeout) {
    this(endpoints, timeout, TlsChannels.plaintext());
  }

  /** {@code transport}: mutual TLS with the caller's certificate, or plaintext (loopback dev clusters). */
  public ClusterClient(List<Endpoint> endpoints, Duration timeout, TlsChannels transport) {
    this(endpoints, timeout, transport, true, SessionWrites.defaultClientName());
  }

  /** {@code clientName}: how this client's session is listed (rrctl state sessions). */
  public ClusterClient(List<Endpoint> endpoints, Duration timeout, TlsChannels transport, String clientName) {
    this(endpoints, timeout, transport, true, clientName);
  }

  /**
   * A client of exactly one node, which never follows a leader hint elsewhere: for checks of that
   * node itself (does it take a write, does it refuse one), not for ordinary use.
   */
  public static ClusterClient pinnedTo(Endpoint endpoint, Duration timeout, TlsChannels transport) {
    return new ClusterClient(List.of(endpoint), timeout, transport, false, SessionWrites.defaultClientName());
  }

  /**
   * Writes without a session: each goes to one node at most and ends in {@code outcome unknown}
   * when its answer is lost. For measuring what sessions cost, and for clusters that have none.
   */
  public static ClusterClient withoutSessions(List<Endpoint> endpoints, Duration timeout, TlsChannels transport) {
    return new ClusterClient(endpoints, timeout, transport, true, null);
  }

  public static ClusterClient pinnedTo(Endpoint endpoint, Duration timeout) {
    return pinnedTo(endpoint, timeout, TlsChannels.plaintext());
  }

  private ClusterClient(List<Endpoint> endpoints, Duration timeout, TlsChannels transport, boolean followLeader,
      String clientName) {
    this.pool = new ChannelPool(endpoints, transport);
    this.calls = new LeaderCalls(pool, timeout, followLeader);
    this.writes = new SessionWrites(calls, clientName);
    this.queue = new QueueCalls(calls, writes);
    this.nodes = new NodeCalls(calls, writes);
    this.control = new ControlCalls(calls, writes);
    this.history = new HistoryCalls(calls, writes);
  }

  public List<Endpoint> endpoints() {
    return pool.endpoints();
  }

  /** The leader as the latest reply named it, if any did. */
  public Optional<LeaderHints.Hint> leaderHint() {
    return pool.hints().latest();
  }

  /** Opens this client's session now, if it has none (the first write does it otherwise); returns its id. */
  public long openSession() {
    return writes.openSession();
  }

  public EnqueueResult enqueue(EnqueueRequest request) {
    return queue.enqueue(request);
  }

  public EnqueueBatchResult enqueueBatch(EnqueueBatchRequest request) {
    return queue.enqueueBatch(request);
  }

  public ClaimResult claim(ClaimRequest request) {
    return queue.claim(request);
  }

  public WorkItem complete(CompleteRequest request) {
    return queue.complete(request);
  }

  public WorkItem extend(ExtendRequest request) {
    return queue.extend(request);
  }

  public WorkItem start(StartRequest request) {
    return queue.start(request);
  }

  public WorkItem fail(FailRequest request) {
    return queue.fail(request);
  }

  public WorkItem release(ReleaseRequest request) {
    return queue.release(request);
  }

  public WorkItem cancel(CancelRequest request) {
    return queue.cancel(request);
  }

  public List<WorkItem> redrive(RedriveRequest request) {
    return queue.redrive(request);
  }

  public WorkItem annotateItem(String itemId, String note) {
    return queue.annotateItem(itemId, note);
  }

  public WorkItem setPriority(String itemId, int priority) { return queue.setPriority(itemId, priority); }

  public ListItemsResult listItems(ListItemsRequest request) {
    return queue.listItems(request);
  }

  public WorkItem getItem(String itemId) {
    return queue.getItem(itemId);
  }

  public QueueStats queueStats() {
    return queue.queueStats();
  }

  public QueueStats queueStatsOf(Endpoint endpoint) {
    return queue.queueStatsOf(endpoint);
  }

  public NodeStatus status() {
    return nodes.status();
  }

  public NodeStatus statusOf(Endpoint endpoint) {
    return nodes.statusOf(endpoint);
  }

  public DigestResult digestOf(Endpoint endpoint) {
    return nodes.digestOf(endpoint);
  }

  public long takeSnapshot(Endpoint endpoint) {
    return nodes.takeSnapshot(endpoint);
  }

  public NodeRecord heartbeat(HeartbeatRequest request) {
    return nodes.heartbeat(request);
  }

  public List<NodeRecord> listNodes() {
    return nodes.listNodes();
  }

  public NodeRecord blacklistNode(BlacklistNodeRequest request) {
    return nodes.blacklistNode(request);
  }

  public NodeRecord unblacklistNode(String nodeId) {
    return nodes.unblacklistNode(nodeId);
  }

  public NodeRecord drainNode(String nodeId, boolean draining) {
    return nodes.drainNode(nodeId, draining);
  }

  public List<Member> members() {
    return nodes.members();
  }

  public List<Member> addMember(String id, String address, boolean listener) {
    return nodes.addMember(id, address, listener);
  }

  public List<Member> removeMember(String id) {
    return nodes.removeMember(id);
  }

  public TransferLeaderResult transferLeader(String to) {
    return nodes.transferLeader(to);
  }

  public List<ConfigEntry> getConfig(String key) {
    return control.getConfig(key);
  }

  public ConfigEntry setConfig(String key, String value) {
    return control.setConfig(key, value);
  }

  public List<DaemonDesired> listDaemonDesired() {
    return control.listDaemonDesired();
  }

  public DaemonDesired setDaemonDesired(String name, boolean enabled) {
    return control.setDaemonDesired(name, enabled);
  }

  public ListDaemonsResult listDaemons(Endpoint endpoint) {
    return control.listDaemons(endpoint);
  }

  public DaemonInfo restartDaemon(Endpoint endpoint, String name) {
    return control.restartDaemon(endpoint, name);
  }

  public FeatureLevelStatus featureLevel() {
    return control.featureLevel();
  }

  public FeatureLevelResult setFeatureLevel(int level) {
    return control.setFeatureLevel(level);
  }

  public ListSessionsResult listSessions(int limit) {
    return control.listSessions(limit);
  }

  public List<Event> recentEvents(RecentEventsRequest request) {
    return history.recentEvents(request);
  }

  /** Follows events until {@code handler} returns false or the stream ends; no overall deadline. */
  public void watchEvents(WatchEventsRequest request, Predicate<Event> handler) {
    calls.watchEvents(request, handler);
  }

  public List<LeaderRecord> leaderHistory(int limit) {
    return history.leaderHistory(limit);
  }

  public List<SyncRecord> syncHistory(SyncHistoryRequest request) {
    return history.syncHistory(request);
  }

  public Event syncTrigger(String dataset, String targetNode) {
    return history.syncTrigger(dataset, targetNode);
  }

  /** Ends this client's session on the cluster (best effort), then closes its channels. */
  @Override
  public void close() {
    writes.close();
    pool.close();
  }
}
