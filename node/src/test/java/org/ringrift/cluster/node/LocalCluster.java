package org.ringrift.cluster.node;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.ratis.util.ExitUtils;
import org.ringrift.cluster.client.ClusterClient;
import org.ringrift.cluster.contract.Endpoint;
import org.ringrift.cluster.raft.ClusterSpec;
import org.ringrift.cluster.raft.Member;
import org.ringrift.cluster.raft.RaftSettings;
import org.ringrift.cluster.raft.TestPorts;

/** N real rrnode services in this JVM: real Ratis over gRPC, real RocksDB, real admin gRPC and HTTP. */
public final class LocalCluster implements AutoCloseable {
  private final Path dir;
  private final List<NodeConfig> configs = new ArrayList<>();
  private final List<NodeService> nodes = new ArrayList<>();
  private final List<ClusterClient> clients = new ArrayList<>();
  private final List<NodeService> joiners = new ArrayList<>();
  private java.util.function.IntFunction<org.ringrift.cluster.daemons.sync.SyncSettings> sync;
  private org.ringrift.cluster.node.guard.EdgeLimits edge = org.ringrift.cluster.node.guard.EdgeLimits.defaults();
  private java.util.function.IntFunction<java.util.function.UnaryOperator<org.ringrift.cluster.daemons.sync.ChunkSource>>
      syncEdge;

  /**
   * Nodes with their own daemon settings (roles, capabilities) and data sync settings, and an
   * edge around each node's sync chunk source where a test can inject faults.
   */
  LocalCluster(Path dir, int size, RaftSettings raft, java.util.function.IntFunction<DaemonSettings> daemons,
      java.util.function.IntFunction<org.ringrift.cluster.daemons.sync.SyncSettings> sync,
      java.util.function.IntFunction<java.util.function.UnaryOperator<org.ringrift.cluster.daemons.sync.ChunkSource>>
          syncEdge) throws Exception {
    this(dir, size, raft, daemons, sync, syncEdge, org.ringrift.cluster.node.guard.EdgeLimits.defaults());
  }

  /** As above, with these edge limits on every node. */
  LocalCluster(Path dir, int size, RaftSettings raft, java.util.function.IntFunction<DaemonSettings> daemons,
      java.util.function.IntFunction<org.ringrift.cluster.daemons.sync.SyncSettings> sync,
      java.util.function.IntFunction<java.util.function.UnaryOperator<org.ringrift.cluster.daemons.sync.ChunkSource>>
          syncEdge, org.ringrift.cluster.node.guard.EdgeLimits edge) throws Exception {
    this.dir = dir;
    this.edge = edge;
    this.sync = sync;
    this.syncEdge = syncEdge;
    ExitUtils.disableSystemExit();
    int base = TestPorts.freeBlock(3 * size);
    List<Member> members = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      members.add(new Member("n" + (i + 1), "127.0.0.1", base + i));
    }
    ClusterSpec spec = new ClusterSpec("test", members);
    for (int i = 0; i < size; i++) {
      configs.add(new NodeConfig(members.get(i).id(), spec, dir.resolve(members.get(i).id()), "127.0.0.1",
          base + size + i, base + 2 * size + i, raft, daemons.apply(i), 1000, false));
      nodes.add(null);
    }
    for (int i = 0; i < size; i++) {
      start(i);
    }
  }

  LocalCluster(Path dir, int size, RaftSettings raft) throws Exception {
    this(dir, size, raft, DaemonSettings.fast());
  }

  public LocalCluster(Path dir, int size, RaftSettings raft, DaemonSettings daemons) throws Exception {
    this(dir, size, raft, daemons, org.ringrift.cluster.node.guard.EdgeLimits.defaults());
  }

  /** Nodes that enforce these edge limits (rate, sizes) on their callers. */
  LocalCluster(Path dir, int size, RaftSettings raft, DaemonSettings daemons,
      org.ringrift.cluster.node.guard.EdgeLimits edge) throws Exception {
    ExitUtils.disableSystemExit();
    this.dir = dir;
    this.edge = edge;
    int base = TestPorts.freeBlock(3 * size);
    List<Member> members = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      members.add(new Member("n" + (i + 1), "127.0.0.1", base + i));
    }
    ClusterSpec spec = new ClusterSpec("test", members);
    for (int i = 0; i < size; i++) {
      configs.add(new NodeConfig(members.get(i).id(), spec, dir.resolve(members.get(i).id()), "127.0.0.1",
          base + size + i, base + 2 * size + i, raft, daemons, 1000, false));
      nodes.add(null);
    }
    for (int i = 0; i < size; i++) {
      start(i);
    }
  }

  /**
   * Daemon timings under which nothing but the test writes to the log once the nodes have sent
   * their first heartbeat: for tests that compare digests or indexes across nodes.
   */
  public static DaemonSettings quiet() {
    return new DaemonSettings(Duration.ofHours(1), Duration.ofMillis(500), Duration.ofSeconds(2),
        Duration.ofSeconds(5), Duration.ofMillis(500), List.of("voter"), List.of(), false, java.util.Map.of(), 2,
        Duration.ofSeconds(5));
  }

  /** Starts one more node outside the configuration (rrnode --join); it waits to be added. */
  NodeService startJoiner(String id) throws Exception {
    int base = TestPorts.freeBlock(3);
    NodeConfig first = configs.get(0);
    List<Member> members = new ArrayList<>(first.cluster().members());
    members.add(new Member(id, "127.0.0.1", base));
    NodeConfig config = new NodeConfig(id, new ClusterSpec(first.cluster().clusterId(), members), dir.resolve(id),
        "127.0.0.1", base + 1, base + 2, first.raft(), first.daemons(), 1000, true);
    NodeService node = new NodeService(config, Clock.systemUTC());
    node.start();
    joiners.add(node);
    return node;
  }

  void start(int i) throws Exception {
    NodeConfig config = configs.get(i);
    NodeService node = sync == null
        ? new NodeService(config, org.ringrift.cluster.daemons.sync.SyncSettings.defaults(config.dataDir(), List.of()),
            Clock.systemUTC(), edge)
        : new NodeService(config, sync.apply(i), Clock.systemUTC(), syncEdge.apply(i), edge);
    node.start();
    nodes.set(i, node);
  }

  /** Starts node i again outside the configuration (rrnode --join), e.g. after its data dir was wiped. */
  void startJoining(int i) throws Exception {
    NodeConfig c = configs.get(i);
    NodeConfig joining = new NodeConfig(c.nodeId(), c.cluster(), c.dataDir(), c.bindHost(), c.adminPort(),
        c.httpPort(), c.raft(), c.daemons(), c.readyMaxLagEntries(), true);
    NodeService node = new NodeService(joining,
        org.ringrift.cluster.daemons.sync.SyncSettings.defaults(c.dataDir(), List.of()), Clock.systemUTC(), edge);
    node.start();
    nodes.set(i, node);
  }

  NodeConfig config(int i) {
    return configs.get(i);
  }

  public void stop(int i) throws IOException {
    nodes.get(i).close();
    nodes.set(i, null);
  }

  int size() {
    return configs.size();
  }

  boolean isRunning(int i) {
    return nodes.get(i) != null;
  }

  NodeService node(int i) {
    return nodes.get(i);
  }

  Endpoint endpoint(int i) {
    return new Endpoint("127.0.0.1", configs.get(i).adminPort());
  }

  /** Node i's data dir (its datasets live under it). */
  Path dataDir(int i) {
    return configs.get(i).dataDir();
  }

  int httpPort(int i) {
    return configs.get(i).httpPort();
  }

  public List<Endpoint> endpoints() {
    List<Endpoint> all = new ArrayList<>();
    for (int i = 0; i < size(); i++) {
      all.add(endpoint(i));
    }
    return all;
  }

  /**
   * Whether every given node reports the same digest at the same applied index: the condition
   * tests await, since a heartbeat may land between two nodes' answers.
   */
  static boolean digestsAgree(ClusterClient client, List<Endpoint> endpoints) {
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (Endpoint endpoint : endpoints) {
      org.ringrift.cluster.proto.DigestResult digest = client.digestOf(endpoint);
      seen.add(digest.getAppliedIndex() + ":" + digest.getDigest());
    }
    return seen.size() == 1;
  }

  /** A client over every node's admin endpoint; closed with the cluster. */
  public ClusterClient client() {
    // Generous: these tests are about what happens, not how fast (benchmarks measure that); a
    // write right after a graceful leader stop has been seen to wait about 8 s on this machine.
    ClusterClient client = new ClusterClient(endpoints(), Duration.ofSeconds(30));
    clients.add(client);
    return client;
  }

  /** The running node that is the ready leader, if exactly one is. */
  public Optional<Integer> readyLeader() {
    List<Integer> leaders = new ArrayList<>();
    for (int i = 0; i < size(); i++) {
      if (isRunning(i) && nodes.get(i).raft().gate().readyTerm().isPresent()) {
        leaders.add(i);
      }
    }
    return leaders.size() == 1 ? Optional.of(leaders.get(0)) : Optional.empty();
  }

  @Override
  public void close() throws IOException {
    for (ClusterClient client : clients) {
      client.close();
    }
    for (NodeService joiner : joiners) {
      joiner.close();
    }
    for (int i = 0; i < size(); i++) {
      if (isRunning(i)) {
        stop(i);
      }
    }
  }
}
