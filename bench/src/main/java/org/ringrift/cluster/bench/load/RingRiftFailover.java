package org.ringrift.cluster.bench.load;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.ringrift.cluster.client.ClusterClient;
import org.ringrift.cluster.client.ClusterException;
import org.ringrift.cluster.contract.errors.ErrorKind;
import org.ringrift.cluster.contract.tls.TlsChannels;
import org.ringrift.cluster.proto.EnqueueRequest;
import org.ringrift.cluster.proto.ListItemsRequest;
import org.ringrift.cluster.proto.ListItemsResult;
import org.ringrift.cluster.proto.NodeStatus;
import org.ringrift.cluster.proto.WorkItem;
import org.ringrift.cluster.proto.WorkType;

/** Failover of a RingRift process cluster: kill -9 of rrnode processes. */
final class RingRiftFailover implements FailoverCluster {
  private static final Duration LIMIT = Duration.ofSeconds(60);
  /** Items per page when reading the whole queue back; the API's maximum. */
  private static final int PAGE = 500;

  /** Separates a write's tag from the filler in its payload. */
  private static final char TAG_END = '|';

  private final NodeProcesses nodes;
  private final ClusterClient probe;
  private final Duration timeout;
  private final byte[] payload;
  private final boolean sessions;

  /** {@code sessions}: the writers' clients write through sessions (false: ClusterClient.withoutSessions). */
  RingRiftFailover(NodeProcesses nodes, Duration timeout, byte[] payload, boolean sessions) {
    this.nodes = nodes;
    this.timeout = timeout;
    this.payload = payload.clone();
    this.sessions = sessions;
    // Short: a probe of a dead node must not hold up the timing loop.
    this.probe = new ClusterClient(nodes.endpoints(), Duration.ofMillis(500));
    try (ClusterClient admin = new ClusterClient(nodes.endpoints(), timeout)) {
      admin.setConfig("queue.pending_hard_limit", "1000000");
      admin.setConfig("queue.pending_soft_limit", "1000000");
    }
  }

  @Override
  public String name() {
    return "ringrift";
  }

  @Override
  public int size() {
    return nodes.size();
  }

  @Override
  public boolean isRunning(int member) {
    return nodes.isRunning(member);
  }

  @Override
  public Leader awaitLeader() throws InterruptedException {
    int leader = nodes.awaitReadyLeader(probe, LIMIT);
    return new Leader(leader, Probes.status(probe, nodes.endpoint(leader)).map(NodeStatus::getTerm).orElse(0L));
  }

  @Override
  public Optional<Integer> newLeader(int killed, long oldTerm) {
    for (int i = 0; i < nodes.size(); i++) {
      if (i != killed && nodes.isRunning(i)) {
        Optional<NodeStatus> status = Probes.status(probe, nodes.endpoint(i));
        if (status.isPresent() && status.get().getIsLeader() && status.get().getTerm() > oldTerm) {
          return Optional.of(i);
        }
      }
    }
    return Optional.empty();
  }

  @Override
  public boolean ready(int member, long oldTerm) {
    Optional<NodeStatus> status = Probes.status(probe, nodes.endpoint(member));
    return status.isPresent() && status.get().getIsLeader() && status.get().getLeaderReady()
        && status.get().getTerm() > oldTerm;
  }

  @Override
  public Optional<Boolean> leaderDaemonsRunning(int member, long oldTerm) {
    return Optional.of(Probes.leaderDaemonsRunning(probe, nodes.endpoint(member), oldTerm));
  }

  @Override
  public boolean steady(int leader, long term) {
    if (!Probes.leaderDaemonsRunning(probe, nodes.endpoint(leader), term - 1)) {
      return false;
    }
    Optional<NodeStatus> leading = Probes.status(probe, nodes.endpoint(leader));
    if (leading.isEmpty()) {
      return false;
    }
    for (int i = 0; i < nodes.size(); i++) {
      Optional<NodeStatus> status = Probes.status(probe, nodes.endpoint(i));
      // Every follower knows the leader and has applied what the leader had committed a moment ago.
      if (status.isEmpty() || status.get().getTerm() != term
          || status.get().getAppliedIndex() < leading.get().getCommitIndex() - 1000) {
        return false;
      }
    }
    return true;
  }

  @Override
  public Writer writer(int index) {
    List<org.ringrift.cluster.contract.Endpoint> endpoints = nodes.endpoints();
    List<org.ringrift.cluster.contract.Endpoint> rotated = new java.util.ArrayList<>();
    for (int k = 0; k < endpoints.size(); k++) {
      rotated.add(endpoints.get((index + k) % endpoints.size()));
    }
    ClusterClient client = sessions ? new ClusterClient(rotated, timeout)
        : ClusterClient.withoutSessions(rotated, timeout, TlsChannels.plaintext());
    return new Writer() {
      @Override
      public String write(long n) {
        // No idempotency key: the payload alone tells this write's items apart in the final state.
        String tag = "failover-" + index + "-" + n;
        client.enqueue(EnqueueRequest.newBuilder().setType(WorkType.WORK_TYPE_SELFPLAY).setPayload(tagged(tag))
            .build());
        return tag;
      }

      @Override
      public boolean outcomeUnknown(RuntimeException failure) {
        return !(failure instanceof ClusterException e) || e.kind() == ErrorKind.UNAVAILABLE
            || e.kind() == ErrorKind.ERROR;
      }

      @Override
      public void close() {
        client.close();
      }
    };
  }

  /** The write's tag, then the filler up to the payload size (the tag alone when it is longer). */
  private ByteString tagged(String tag) {
    byte[] head = (tag + TAG_END).getBytes(StandardCharsets.UTF_8);
    byte[] bytes = java.util.Arrays.copyOf(head, Math.max(head.length, payload.length));
    if (payload.length > head.length) {
      System.arraycopy(payload, head.length, bytes, head.length, payload.length - head.length);
    }
    return ByteString.copyFrom(bytes);
  }

  private static String tagOf(WorkItem item) {
    String payload = item.getPayload().toStringUtf8();
    int end = payload.indexOf(TAG_END);
    return payload.startsWith("failover-") && end > 0 ? payload.substring(0, end) : null;
  }

  @Override
  public Audit audit(Set<String> acknowledged) {
    Map<String, Integer> itemsPerTag = new HashMap<>();
    try (ClusterClient reader = new ClusterClient(nodes.endpoints(), timeout)) {
      String after = "";
      do {
        ListItemsResult page = reader.listItems(ListItemsRequest.newBuilder().setAfterId(after).setLimit(PAGE).build());
        for (WorkItem item : page.getItemsList()) {
          String tag = tagOf(item);
          if (tag != null) {
            itemsPerTag.merge(tag, 1, Integer::sum);
          }
        }
        after = page.getNextAfterId();
      } while (!after.isEmpty());
    }
    Set<String> present = new HashSet<>();
    for (String key : acknowledged) {
      if (itemsPerTag.containsKey(key)) {
        present.add(key);
      }
    }
    List<WriteId> twice = itemsPerTag.entrySet().stream().filter(e -> e.getValue() > 1)
        .map(e -> WriteId.parse(e.getKey())).toList();
    return new Audit(present, twice);
  }

  @Override
  public void kill(int member) throws InterruptedException {
    nodes.kill(member);
  }

  @Override
  public void restart(int member) throws Exception {
    nodes.start(member);
  }

  @Override
  public void close() {
    probe.close();
  }
}
