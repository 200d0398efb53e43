package org.ringrift.cluster.chaos;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Real network partitions: each node process runs in its own network namespace, joined to the
 * test JVM by a bridge in the root namespace. A cut is a blackhole route inside a namespace
 * ({@code ip -n NS route add blackhole PEER/32}), exactly what an operator's firewall or a
 * dead switch port does to established TCP and HTTP/2 connections (no reset, no proxy closing
 * anything on heal); the per-link proxies cannot do that.
 *
 * <p>Layout of one fabric, with {@code x} the claimed subnet number (1-254): bridge
 * {@code rrchaos<x>} in the root namespace with address 10.77.x.254/24 (the test JVM's clients
 * reach the nodes through it and are never cut), namespaces {@code rrchaos<x>-n1 ...} with
 * {@code eth0} at 10.77.x.N/24, the root side of each veth pair named {@code rrchaos<x>v<N>}.
 *
 * <p>Two runs never collide: a run claims {@code x} by creating the bridge (the kernel refuses
 * a second interface of the same name), and the bridge's alias records the owning JVM's pid
 * and start time. Fabrics whose owner is gone (a crashed or killed test JVM) are removed, with
 * any processes still inside their namespaces, when the next fabric is created.
 */
final class NetNamespaces implements AutoCloseable {
  static final String PREFIX = "rrchaos";
  private static final Pattern BRIDGE = Pattern.compile(PREFIX + "(\\d{1,3})");
  private static final Pattern NAMESPACE = Pattern.compile(PREFIX + "(\\d{1,3})-n\\d+");
  private static final Pattern OWNER = Pattern.compile("rr-chaos pid=(\\d+) started=(\\d+)");
  private static final Path SYS_NET = Path.of("/sys/class/net");
  private static final Path NETNS_DIR = Path.of("/run/netns");
  /** Commands of iproute2 finish in milliseconds; this only stops a hung one from hanging the run. */
  private static final long COMMAND_TIMEOUT_SECONDS = 20;

  private final int subnet;
  private final int size;
  private final Set<Cut> cuts = new LinkedHashSet<>();
  private final Thread cleanupHook;
  private boolean closed;

  /** A directed cut: packets from {@code from} to {@code to} vanish. */
  record Cut(int from, int to) {}

  private NetNamespaces(int subnet, int size) {
    this.subnet = subnet;
    this.size = size;
    this.cleanupHook = new Thread(this::close, "netns-cleanup-" + bridge());
  }

  /**
   * Why namespaces cannot be used here, or empty if they can: the check creates and deletes a
   * probe namespace, so it fails for exactly the reasons a real fabric would (no iproute2, not
   * root, no CAP_SYS_ADMIN / CAP_NET_ADMIN in a container).
   */
  static Optional<String> unavailable() {
    String probe = PREFIX + "-probe-" + ProcessHandle.current().pid();
    try {
      run(List.of("ip", "netns", "add", probe));
    } catch (IOException e) {
      return Optional.of("cannot create a network namespace (needs root and iproute2's 'ip'): " + e.getMessage());
    }
    try {
      run(List.of("ip", "netns", "del", probe));
    } catch (IOException e) {
      return Optional.of("cannot delete the probe namespace " + probe + ": " + e.getMessage());
    }
    return Optional.empty();
  }

  /** Builds a fabric for {@code size} nodes (removing stale fabrics first); close it to tear it down. */
  static NetNamespaces create(int size) throws IOException {
    if (size < 1 || size > 9) {
      throw new IllegalArgumentException("size " + size + ": a fabric holds 1 to 9 nodes");
    }
    removeStale();
    NetNamespaces fabric = new NetNamespaces(claimSubnet(), size);
    Runtime.getRuntime().addShutdownHook(fabric.cleanupHook);
    try {
      fabric.build();
    } catch (IOException | RuntimeException e) {
      fabric.close();
      throw e;
    }
    return fabric;
  }

  /** Claims a free 10.77.x.0/24 by creating its bridge: the name is the lock. */
  private static int claimSubnet() throws IOException {
    int start = ThreadLocalRandom.current().nextInt(254);
    String owner = ownerTag();
    for (int k = 0; k < 254; k++) {
      int x = 1 + (start + k) % 254;
      String bridge = PREFIX + x;
      try {
        run(List.of("ip", "link", "add", "name", bridge, "type", "bridge"));
      } catch (IOException e) {
        if (e.getMessage().contains("File exists")) {
          continue;
        }
        throw e;
      }
      run(List.of("ip", "link", "set", "dev", bridge, "alias", owner));
      if (routedElsewhere(x)) {
        run(List.of("ip", "link", "del", bridge));
        continue;
      }
      return x;
    }
    throw new IOException("no free subnet 10.77.1-254.0/24 for a chaos fabric (every " + PREFIX + "N bridge exists)");
  }

  /**
   * Whether the host already routes part of 10.77.x.0/24 somewhere else (a real network our
   * bridge must not shadow); the default route does not count.
   */
  private static boolean routedElsewhere(int x) throws IOException {
    String mine = "dev " + PREFIX + x;
    String routes = run(List.of("ip", "-4", "route", "show", "root", "10.77." + x + ".0/24"))
        + run(List.of("ip", "-4", "route", "show", "match", "10.77." + x + ".0/24"));
    return routes.lines().map(String::trim).anyMatch(r -> !r.isEmpty() && !r.startsWith("default") && !r.contains(mine));
  }

  private static String ownerTag() {
    ProcessHandle self = ProcessHandle.current();
    long started = self.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
    return "rr-chaos pid=" + self.pid() + " started=" + started;
  }

  private void build() throws IOException {
    String bridge = bridge();
    run(List.of("ip", "addr", "add", "10.77." + subnet + ".254/24", "dev", bridge));
    run(List.of("ip", "link", "set", "dev", bridge, "up"));
    for (int i = 0; i < size; i++) {
      String ns = namespace(i);
      String veth = veth(i);
      run(List.of("ip", "netns", "add", ns));
      run(List.of("ip", "-n", ns, "link", "set", "lo", "up"));
      run(List.of("ip", "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", ns));
      run(List.of("ip", "link", "set", "dev", veth, "master", bridge));
      run(List.of("ip", "link", "set", "dev", veth, "up"));
      run(List.of("ip", "-n", ns, "addr", "add", address(i) + "/24", "dev", "eth0"));
      run(List.of("ip", "-n", ns, "link", "set", "dev", "eth0", "up"));
    }
  }

  String bridge() {
    return PREFIX + subnet;
  }

  String namespace(int i) {
    return PREFIX + subnet + "-n" + (i + 1);
  }

  private String veth(int i) {
    return PREFIX + subnet + "v" + (i + 1);
  }

  /** Node i's address, on which it binds every listener. */
  String address(int i) {
    return "10.77." + subnet + "." + (i + 1);
  }

  /** The command prefix that runs a program inside node i's namespace ({@code ip netns exec} execs, keeping the pid). */
  List<String> exec(int i) {
    return List.of("ip", "netns", "exec", namespace(i));
  }

  /** Cuts both directions between a and b (idempotent). */
  synchronized void cut(int a, int b) throws IOException {
    cutOneWay(a, b);
    cutOneWay(b, a);
  }

  private void cutOneWay(int from, int to) throws IOException {
    if (cuts.add(new Cut(from, to))) {
      run(List.of("ip", "-n", namespace(from), "route", "replace", "blackhole", address(to) + "/32"));
    }
  }

  /** Every link between a node in {@code side} and one outside is cut; links already cut stay cut. */
  synchronized void partition(Set<Integer> side) throws IOException {
    for (int a : side) {
      for (int b = 0; b < size; b++) {
        if (!side.contains(b)) {
          cut(a, b);
        }
      }
    }
  }

  /**
   * Moves to exactly this set of cuts: new cuts go in before old ones come out, so a shifting
   * partition never passes through a fully connected moment.
   */
  synchronized void setCuts(Set<Cut> wanted) throws IOException {
    for (Cut cut : wanted) {
      cutOneWay(cut.from(), cut.to());
    }
    for (Cut cut : List.copyOf(cuts)) {
      if (!wanted.contains(cut)) {
        heal(cut);
      }
    }
  }

  /** The cuts that isolate {@code side} from the rest, both ways. */
  Set<Cut> cutsAround(Set<Integer> side) {
    Set<Cut> wanted = new LinkedHashSet<>();
    for (int a : side) {
      for (int b = 0; b < size; b++) {
        if (!side.contains(b)) {
          wanted.add(new Cut(a, b));
          wanted.add(new Cut(b, a));
        }
      }
    }
    return wanted;
  }

  private void heal(Cut cut) throws IOException {
    run(List.of("ip", "-n", namespace(cut.from()), "route", "del", "blackhole", address(cut.to()) + "/32"));
    cuts.remove(cut);
  }

  /** Deletes every blackhole route: the network is whole again. */
  synchronized void healAll() throws IOException {
    for (Cut cut : List.copyOf(cuts)) {
      heal(cut);
    }
  }

  synchronized Set<Cut> cuts() {
    return Set.copyOf(cuts);
  }

  /**
   * Removes the namespaces, veth pairs and bridge. Call after the node processes are gone: a
   * namespace with a process inside lives on (unnamed) until the process ends.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (Thread.currentThread() != cleanupHook) {
      try {
        Runtime.getRuntime().removeShutdownHook(cleanupHook);
      } catch (IllegalStateException e) {
        // the JVM is already shutting down: the hook runs close() again, which returns at once
      }
    }
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      if (Files.exists(NETNS_DIR.resolve(namespace(i)))) {
        quietly(List.of("ip", "netns", "del", namespace(i)), failures);
      }
      if (Files.exists(SYS_NET.resolve(veth(i)))) {
        quietly(List.of("ip", "link", "del", veth(i)), failures);
      }
    }
    // The bridge last: it is the claim on the subnet, and while it exists no other run takes x.
    if (Files.exists(SYS_NET.resolve(bridge()))) {
      quietly(List.of("ip", "link", "del", bridge()), failures);
    }
    if (!failures.isEmpty()) {
      System.out.println("chaos: netns cleanup of " + bridge() + " left something behind: " + failures);
    }
  }

  /** Removes fabrics whose owning JVM is gone, killing any node process still inside them. */
  static void removeStale() throws IOException {
    Set<Integer> stale = new LinkedHashSet<>();
    Set<Integer> owned = new LinkedHashSet<>();
    try (Stream<Path> links = Files.list(SYS_NET)) {
      for (Path link : links.toList()) {
        Matcher m = BRIDGE.matcher(link.getFileName().toString());
        if (m.matches()) {
          int x = Integer.parseInt(m.group(1));
          Optional<Boolean> alive = ownerAlive(link.resolve("ifalias"));
          if (alive.isEmpty()) {
            owned.add(x); // no owner recorded yet: a run between claim and alias; leave it
          } else if (alive.get()) {
            owned.add(x);
          } else {
            stale.add(x);
          }
        }
      }
    }
    List<String> failures = new ArrayList<>();
    if (Files.isDirectory(NETNS_DIR)) {
      try (Stream<Path> names = Files.list(NETNS_DIR)) {
        for (Path entry : names.toList()) {
          String ns = entry.getFileName().toString();
          Matcher m = NAMESPACE.matcher(ns);
          // A namespace without its bridge is an orphan: a run creates the bridge first and deletes it last.
          if (m.matches() && !owned.contains(Integer.parseInt(m.group(1)))) {
            killInside(ns, failures);
            quietly(List.of("ip", "netns", "del", ns), failures);
          }
        }
      }
    }
    try (Stream<Path> links = Files.list(SYS_NET)) {
      for (Path link : links.toList()) {
        Matcher m = Pattern.compile(PREFIX + "(\\d{1,3})v\\d+").matcher(link.getFileName().toString());
        if (m.matches() && !owned.contains(Integer.parseInt(m.group(1)))) {
          quietly(List.of("ip", "link", "del", link.getFileName().toString()), failures);
        }
      }
    }
    for (int x : stale) {
      quietly(List.of("ip", "link", "del", PREFIX + x), failures);
    }
    if (!stale.isEmpty() || !failures.isEmpty()) {
      System.out.println("chaos: removed stale netns fabrics " + stale + (failures.isEmpty() ? "" : "; failures: " + failures));
    }
  }

  /** Whether the JVM recorded in a bridge's alias still runs (same pid and start time); empty if none is recorded. */
  private static Optional<Boolean> ownerAlive(Path ifalias) throws IOException {
    String alias = Files.exists(ifalias) ? Files.readString(ifalias, StandardCharsets.UTF_8).trim() : "";
    Matcher m = OWNER.matcher(alias);
    if (!m.matches()) {
      return Optional.empty();
    }
    long pid = Long.parseLong(m.group(1));
    long started = Long.parseLong(m.group(2));
    Optional<ProcessHandle> process = ProcessHandle.of(pid);
    return Optional.of(process.isPresent() && process.get().isAlive()
        && process.get().info().startInstant().map(t -> Math.abs(t.toEpochMilli() - started) < 2_000).orElse(false));
  }

  /** kill -9 of whatever a stale namespace still holds: node processes of a test JVM that died. */
  private static void killInside(String ns, List<String> failures) {
    try {
      for (String pid : run(List.of("ip", "netns", "pids", ns)).split("\\s+")) {
        if (!pid.isBlank()) {
          ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
        }
      }
    } catch (IOException | NumberFormatException e) {
      failures.add("pids of " + ns + ": " + e.getMessage());
    }
  }

  /** Runs a cleanup command; something already gone (a veth that left with its namespace) is no failure. */
  private static void quietly(List<String> command, List<String> failures) {
    try {
      run(command);
    } catch (IOException e) {
      String message = e.getMessage();
      if (!message.contains("Cannot find device") && !message.contains("No such file or directory")) {
        failures.add(message);
      }
    }
  }

  /** Runs an iproute2 command; its output, or an IOException with what it said on failure. */
  static String run(List<String> command) throws IOException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      String output;
      try (var in = process.getInputStream()) {
        output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      if (!process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException(String.join(" ", command) + ": no exit within " + COMMAND_TIMEOUT_SECONDS + " s");
      }
      if (process.exitValue() != 0) {
        throw new IOException(String.join(" ", command) + " exited " + process.exitValue() + ": " + output.trim());
      }
      return output;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new IOException(String.join(" ", command) + ": interrupted", e);
    }
  }
}
