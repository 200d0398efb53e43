package org.ringrift.cluster.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.ringrift.cluster.client.ClusterClient;
import org.ringrift.cluster.contract.Endpoint;
import org.ringrift.cluster.proto.NodeStatus;
import org.ringrift.cluster.raft.TestPorts;

/**
 * A cluster of real rrnode processes (bin/rrnode of this worktree), each with its own data
 * directory, on one of two networks: loopback with a {@link LinkProxies} fabric between their
 * Raft ports (the default), or one network namespace per node ({@link NetNamespaces}: real
 * IP-level cuts). Every process is destroyed on close and, should the JVM end first, by a
 * shutdown hook; the namespaces are removed on close (and by their own hook).
 */
final class ChaosCluster implements AutoCloseable {
  static final Path REPO = Path.of(System.getProperty("user.dir")).getParent();
  private static final Set<Process> ALL = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      for (Process process : ALL) {
        process.destroyForcibly();
      }
    }, "chaos-cluster-reaper"));
  }

  /**
   * Knobs of the node processes. {@code unsafe}: deliberately broken builds, as rrnode's
   * -Dringrift.unsafe.NAME=VALUE properties (e.g. {@code fencing=off}, {@code reads=default},
   * {@code writes=shared-client}); a node with any of them, or with {@code clockHooks}, runs with
   * --unsafe-test-hooks. {@code namespaces}: each node in its own network namespace (needs root).
   */
  record Options(int size, long snapshotThreshold, long leaderTickMs, long reaperGraceMs, long segmentBytes,
      boolean clockHooks, List<String> unsafe, boolean namespaces) {
    static final long DEFAULT_SEGMENT_BYTES = 8L * 1024 * 1024;

    Options(int size, long snapshotThreshold, long leaderTickMs, long reaperGraceMs, long segmentBytes,
        boolean clockHooks, List<String> unsafe) {
      this(size, snapshotThreshold, leaderTickMs, reaperGraceMs, segmentBytes, clockHooks, unsafe, false);
    }

    static Options of(int size) {
      return new Options(size, 10_000, 300, 1_000, DEFAULT_SEGMENT_BYTES, false, List.of());
    }

    /** Each node in its own network namespace, bound to its own address: partitions are blackhole routes. */
    Options inNamespaces() {
      return new Options(size, snapshotThreshold, leaderTickMs, reaperGraceMs, segmentBytes, clockHooks, unsafe, true);
    }

    Options withSnapshotThreshold(long entries) {
      return new Options(size, entries, leaderTickMs, reaperGraceMs, segmentBytes, clockHooks, unsafe, namespaces);
    }

    Options withReaperGraceMs(long graceMs) {
      return new Options(size, snapshotThreshold, leaderTickMs, graceMs, segmentBytes, clockHooks, unsafe, namespaces);
    }

    /** Small log segments, so that segments close and are purged behind snapshots within a run. */
    Options withSegmentBytes(long bytes) {
      return new Options(size, snapshotThreshold, leaderTickMs, reaperGraceMs, bytes, clockHooks, unsafe, namespaces);
    }

    /** Each node's clock is offset by the milliseconds in its file (see {@link #setClockOffset}). */
    Options withClockHooks() {
      return new Options(size, snapshotThreshold, leaderTickMs, reaperGraceMs, segmentBytes, true, unsafe, namespaces);
    }

    /** A deliberately broken build: {@code hooks} like "fencing=off" (comma separated, empty for none). */
    Options withUnsafe(String hooks) {
      List<String> list = java.util.Arrays.stream(hooks.split(",")).map(String::trim).filter(h -> !h.isEmpty()).toList();
      return new Options(size, snapshotThreshold, leaderTickMs, reaperGraceMs, segmentBytes, clockHooks, list, namespaces);
    }

    boolean testHooks() {
      return clockHooks || !unsafe.isEmpty();
    }
  }

  private final Path dir;
  private final Options options;
  private final int size;
  private final int[] raftPorts;
  private final int base;
  private final List<Process> processes = new ArrayList<>();
  private final boolean[] paused;
  /** Exactly one of the two networks: proxies on loopback, or namespaces. */
  private final LinkProxies links;
  private final NetNamespaces netns;
  private final ClusterClient admin;

  ChaosCluster(Path dir, Options options) throws IOException {
    this.dir = dir;
    this.options = options;
    this.size = options.size();
    this.base = TestPorts.freeBlock(3 * size);
    this.raftPorts = new int[size];
    this.paused = new boolean[size];
    for (int i = 0; i < size; i++) {
      raftPorts[i] = base + i;
      processes.add(null);
    }
    this.netns = options.namespaces() ? NetNamespaces.create(size) : null;
    try {
      this.links = options.namespaces() ? null : new LinkProxies(size, raftPorts);
    } catch (IOException | RuntimeException e) {
      if (netns != null) {
        netns.close();
      }
      throw e;
    }
    try {
      for (int i = 0; i < size; i++) {
        if (links != null) {
          writeHostsFile(i);
        }
        start(i);
      }
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
    this.admin = new ClusterClient(endpoints(), Duration.ofSeconds(5));
  }

  int size() {
    return size;
  }

  String id(int i) {
    return "n" + (i + 1);
  }

  int index(String nodeId) {
    return Integer.parseInt(nodeId.substring(1)) - 1;
  }

  /** The address node i's admin and HTTP listeners bind to, as the test JVM reaches them. */
  String host(int i) {
    return netns != null ? netns.address(i) : "127.0.0.1";
  }

  Endpoint endpoint(int i) {
    return new Endpoint(host(i), base + size + i);
  }

  /** Node i's HTTP status port (/health/ready, /status, /metrics) on {@link #host}. */
  int httpPort(int i) {
    return base + 2 * size + i;
  }

  List<Endpoint> endpoints() {
    List<Endpoint> all = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      all.add(endpoint(i));
    }
    return all;
  }

  LinkProxies links() {
    if (links == null) {
      throw new IllegalStateException("this cluster runs in network namespaces: use netns(), not the link proxies");
    }
    return links;
  }

  NetNamespaces netns() {
    if (netns == null) {
      throw new IllegalStateException("this cluster runs on loopback with link proxies: use links(), or start it "
          + "with Options.inNamespaces()");
    }
    return netns;
  }

  boolean inNamespaces() {
    return netns != null;
  }

  /** Heals every network fault of either kind. */
  void healNetwork() throws IOException {
    if (links != null) {
      links.healAll();
    } else {
      netns.healAll();
    }
  }

  /** A client over every node; callers must not close it. */
  ClusterClient admin() {
    return admin;
  }

  Path dataDir(int i) {
    return dir.resolve(id(i));
  }

  Path dir() {
    return dir;
  }

  private static String hostName(int i) {
    return "rr-n" + (i + 1);
  }

  private void writeHostsFile(int self) throws IOException {
    StringBuilder hosts = new StringBuilder();
    for (int j = 0; j < size; j++) {
      hosts.append(j == self ? "127.0.0.1" : LinkProxies.linkHost(self, j)).append(' ').append(hostName(j)).append('\n');
    }
    Files.writeString(dir.resolve("hosts-" + id(self)), hosts.toString());
  }

  synchronized void start(int i) throws IOException {
    start(i, false);
  }

  /** The address the group configuration knows node i by. */
  String raftAddress(int i) {
    return (netns != null ? netns.address(i) : hostName(i)) + ":" + raftPorts[i];
  }

  /** {@code join}: start outside the configuration (rrnode --join), to be added back by the leader. */
  synchronized void start(int i, boolean join) throws IOException {
    List<String> peers = new ArrayList<>();
    for (int k = 0; k < size; k++) {
      peers.add(id(k) + "=" + raftAddress(k));
    }
    Path data = dataDir(i);
    Files.createDirectories(data);
    List<String> command = new ArrayList<>();
    if (netns != null) {
      command.addAll(netns.exec(i));
    }
    command.addAll(List.of(REPO.resolve("bin/rrnode").toString(),
        "--id", id(i), "--peers", String.join(",", peers), "--cluster", "chaos",
        "--admin-port", Integer.toString(endpoint(i).port()), "--http-port", Integer.toString(httpPort(i)),
        "--data-dir", data.toString(), "--no-populate",
        "--snapshot-threshold", Long.toString(options.snapshotThreshold()),
        "--leader-tick-ms", Long.toString(options.leaderTickMs()),
        "--reaper-grace-ms", Long.toString(options.reaperGraceMs()),
        "--heartbeat-ms", "2000"));
    if (netns != null) {
      // Plaintext on the namespace's private bridge, which only this test JVM can reach.
      command.addAll(List.of("--bind", netns.address(i), "--insecure"));
    }
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(id(i) + ".log").toFile()));
    // Each node resolves the peers' host names through its own hosts file: see LinkProxies.
    // The JVM ignores networkaddress.cache settings for a hosts file: it is read once, which is
    // what we want (the mapping never changes).
    if (join) {
      builder.command().add("--join");
    }
    if (options.segmentBytes() != Options.DEFAULT_SEGMENT_BYTES) {
      builder.command().addAll(List.of("--log-segment-bytes", Long.toString(options.segmentBytes())));
    }
    StringBuilder unsafe = new StringBuilder();
    if (options.testHooks()) {
      builder.command().add("--unsafe-test-hooks");
      if (options.clockHooks()) {
        builder.command().addAll(List.of("--clock-offset-file", clockFile(i).toString()));
      }
      for (String hook : options.unsafe()) {
        unsafe.append(" -Dringrift.unsafe.").append(hook);
      }
    }
    builder.environment().put("RRNODE_JAVA_OPTS", "-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1"
        + (links != null ? " -Djdk.net.hosts.file=" + dir.resolve("hosts-" + id(i)) : "") + unsafe);
    Process process = builder.start();
    ALL.add(process);
    processes.set(i, process);
    paused[i] = false;
  }

  private Path clockFile(int i) {
    return dir.resolve("clock-offset-" + id(i));
  }

  /** Jumps node i's clock to the system clock plus {@code offsetMs} (written atomically; read within 50 ms). */
  void setClockOffset(int i, long offsetMs) throws IOException {
    if (!options.clockHooks()) {
      throw new IllegalStateException("the cluster was started without clock hooks");
    }
    Path tmp = dir.resolve("clock-offset-" + id(i) + ".tmp");
    Files.writeString(tmp, Long.toString(offsetMs));
    Files.move(tmp, clockFile(i), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  /** kill -9: no shutdown hook, no flush, no goodbye to the peers. */
  synchronized void kill(int i) throws InterruptedException {
    Process process = processes.get(i);
    if (process == null) {
      return;
    }
    if (paused[i]) {
      signal(process, "CONT");
    }
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException(id(i) + " did not die within 30 s of SIGKILL");
    }
    ALL.remove(process);
    processes.set(i, null);
  }

  /** SIGSTOP: the process keeps its sockets and state and wakes up later as if nothing happened. */
  synchronized void pause(int i) {
    signal(processes.get(i), "STOP");
    paused[i] = true;
  }

  synchronized void resume(int i) {
    if (paused[i] && processes.get(i) != null) {
      signal(processes.get(i), "CONT");
    }
    paused[i] = false;
  }

  /** Deletes node i's data directory (it must be down): the node comes back empty. */
  synchronized void wipe(int i) throws IOException {
    if (processes.get(i) != null) {
      throw new IllegalStateException(id(i) + " is running");
    }
    Path data = dataDir(i);
    if (Files.exists(data)) {
      try (Stream<Path> walk = Files.walk(data)) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  synchronized boolean isRunning(int i) {
    return processes.get(i) != null && processes.get(i).isAlive();
  }

  /**
   * Fails if a node process ended that the harness did not kill (e.g. rrnode refused its options
   * and exited 2), with the end of its log: waiting for a leader would only time out.
   */
  synchronized void requireNoneExited() {
    for (int i = 0; i < size; i++) {
      Process process = processes.get(i);
      if (process != null && !process.isAlive()) {
        throw new IllegalStateException(id(i) + " exited with code " + process.exitValue() + " on its own; end of "
            + dir.resolve(id(i) + ".log") + ":\n" + logTail(i, 15));
      }
    }
  }

  /** The last {@code lines} lines of node i's log. */
  String logTail(int i, int lines) {
    try {
      List<String> all = Files.readAllLines(dir.resolve(id(i) + ".log"));
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(log unreadable: " + e.getMessage() + ")";
    }
  }

  /** Waits for the first ready leader, failing at once if a node process exits on its own. */
  int awaitFirstLeader(Duration atMost) {
    return org.awaitility.Awaitility.await().atMost(atMost).until(() -> {
      requireNoneExited();
      return leader();
    }, Optional::isPresent).get();
  }

  private static void signal(Process process, String signal) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed");
      }
    } catch (IOException e) {
      throw new IllegalStateException("kill -" + signal + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Node i's own view, or empty when it does not answer within a second. */
  Optional<NodeStatus> statusOf(int i) {
    try (ClusterClient one = new ClusterClient(List.of(endpoint(i)), Duration.ofSeconds(1))) {
      return Optional.of(one.status());
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The index of the node that reports itself ready leader, if exactly one does. */
  Optional<Integer> leader() {
    Integer found = null;
    for (int i = 0; i < size; i++) {
      if (!isRunning(i) || paused[i]) {
        continue;
      }
      Optional<NodeStatus> status = statusOf(i);
      if (status.isPresent() && status.get().getIsLeader() && status.get().getLeaderReady()) {
        if (found != null) {
          return Optional.empty();
        }
        found = i;
      }
    }
    return Optional.ofNullable(found);
  }

  @Override
  public synchronized void close() {
    if (admin != null) {
      admin.close();
    }
    for (int i = 0; i < size; i++) {
      Process process = processes.get(i);
      if (process != null) {
        if (paused[i]) {
          try {
            signal(process, "CONT");
          } catch (RuntimeException e) {
            // destroyForcibly below works on a stopped process too
          }
        }
        process.destroyForcibly();
        try {
          process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        ALL.remove(process);
        processes.set(i, null);
      }
    }
    if (links != null) {
      links.close();
    }
    if (netns != null) {
      netns.close();
    }
  }
}
