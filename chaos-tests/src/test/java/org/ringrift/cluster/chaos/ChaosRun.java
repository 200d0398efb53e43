package org.ringrift.cluster.chaos;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.ringrift.cluster.client.ClusterClient;
import org.ringrift.cluster.proto.DigestResult;
import org.ringrift.cluster.proto.LeaderRecord;
import org.ringrift.cluster.proto.ListItemsRequest;
import org.ringrift.cluster.proto.ListItemsResult;
import org.ringrift.cluster.proto.NodeStatus;
import org.ringrift.cluster.proto.QueueStats;
import org.ringrift.cluster.proto.WorkItem;

/**
 * One bounded chaos run: start a cluster, run the workloads while a nemesis applies the
 * scenario's faults, heal, wait for quiescence, check. A failed run keeps its directory (node
 * logs, data directories, history.json, schedule.txt, problems.txt) and prints the rerun command.
 */
final class ChaosRun {
  /**
   * The deliberately broken client build (-Dchaos.unsafe=clients=no-sessions): every client of
   * the run is {@link org.ringrift.cluster.client.ClusterClient#withoutSessions}, the at-most-once
   * client from before issue 17.
   */
  static final String NO_SESSIONS = "clients=no-sessions";

  /** What to run: the scenario names a fault list (see {@link Scenarios}); the seed decides the rest. */
  record Spec(String scenario, long seed, int nodes, Duration duration, int maxOps, String unsafe) {
    Spec(String scenario, long seed, int nodes, Duration duration, int maxOps) {
      this(scenario, seed, nodes, duration, maxOps, "");
    }
  }

  /** What came out of a run. */
  record Result(Spec spec, List<String> problems, Map<String, Integer> opCounts, int faults, Duration took,
      Path keptAt) {
    boolean ok() {
      return problems.isEmpty();
    }

    String summary() {
      return spec.scenario() + " seed=" + spec.seed() + " nodes=" + spec.nodes() + " ops=" + opCounts
          + " faults=" + faults + " took=" + took.toSeconds() + "s" + (ok() ? " OK" : " FAILED: " + problems);
    }
  }

  static String rerunCommand(Spec spec) {
    return "mvn -B -o -pl chaos-tests -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false"
        + " -Dit.test=ChaosRerunIT -Dfailsafe.failIfNoSpecifiedTests=false -Dchaos.scenario=" + spec.scenario()
        + " -Dchaos.seed=" + spec.seed() + " -Dchaos.nodes=" + spec.nodes() + " -Dchaos.duration=" + spec.duration()
        + " -Dchaos.maxOps=" + spec.maxOps() + (spec.unsafe().isEmpty() ? "" : " -Dchaos.unsafe=" + spec.unsafe());
  }

  static Result run(Spec spec, Path runsDir) throws Exception {
    long started = System.nanoTime();
    Scenarios.Scenario scenario = Scenarios.byName(spec.scenario());
    List<String> hooks = new ArrayList<>(java.util.Arrays.stream(spec.unsafe().split(",")).map(String::trim)
        .filter(h -> !h.isEmpty()).toList());
    // The client-side broken build is the harness's, not rrnode's: the nodes must not see it.
    Workloads.Clients clientsOf = hooks.remove(NO_SESSIONS) ? Workloads.Clients.withoutSessions()
        : Workloads.Clients.withSessions();
    ChaosCluster.Options options = scenario.options(spec.nodes()).withUnsafe(String.join(",", hooks));
    if (options.namespaces()) {
      // Skipped, never passed: the scenario's claim is about real network cuts.
      NetNamespaces.unavailable().ifPresent(reason -> org.junit.jupiter.api.Assumptions.abort(
          "chaos scenario " + spec.scenario() + " runs each node in its own network namespace; skipped: " + reason));
    }
    Duration liveBound = LivenessChecker.bound();
    Path dir = runsDir.resolve(spec.scenario() + "-" + spec.seed());
    deleteTree(dir);
    Files.createDirectories(dir);
    Random random = new Random(spec.seed());
    History history = new History(spec.maxOps());
    List<String> problems = new ArrayList<>();
    List<String> schedule = new ArrayList<>();
    int faults = 0;
    System.out.println("chaos: scenario=" + spec.scenario() + " seed=" + spec.seed() + " (rerun: " + rerunCommand(spec) + ")");
    List<LivenessChecker.Check> liveness = new ArrayList<>();
    try (ChaosCluster cluster = new ChaosCluster(dir, options);
        LivenessChecker live = new LivenessChecker(cluster, liveBound, 1)) {
      // Three JVMs starting at once on a busy 2-core box can take half a minute before they elect.
      cluster.awaitFirstLeader(Duration.ofSeconds(90));
      Map<String, String> initial = setUp(cluster);
      System.out.println("chaos: cluster up after " + (System.nanoTime() - started) / 1_000_000 + " ms");
      LeaderMonitor monitor = new LeaderMonitor(cluster);
      monitor.start();
      FencedCommandChecker.Watcher fencedWatcher = new FencedCommandChecker.Watcher(cluster.endpoints());
      fencedWatcher.start();

      long deadline = System.nanoTime() + spec.duration().toNanos();
      List<Thread> clients = new ArrayList<>();
      AtomicLong[] nextValue = new AtomicLong[Workloads.REGISTERS.size()];
      for (int k = 0; k < nextValue.length; k++) {
        nextValue[k] = new AtomicLong(1_000);
      }
      java.util.function.BooleanSupplier running = () -> System.nanoTime() < deadline;
      for (int c = 0; c < 3; c++) {
        // Each register client starts at another node, so that reads and writes go through all of them.
        clients.add(new Thread(Workloads.registers("reg" + c, rotated(cluster.endpoints(), c), history,
            new Random(random.nextLong()), nextValue, running, clientsOf), "reg" + c));
      }
      for (int c = 0; c < 2; c++) {
        clients.add(new Thread(Workloads.producer("p" + c, cluster.endpoints(), history,
            new Random(random.nextLong()), running, clientsOf), "p" + c));
      }
      for (int c = 0; c < 3; c++) {
        clients.add(new Thread(Workloads.worker("w" + c, cluster.endpoints(), history,
            new Random(random.nextLong()), running, clientsOf), "w" + c));
      }

      // The nemesis: quiet, inject, hold, heal, until the time or the op budget runs out.
      Random nemesis = new Random(random.nextLong());
      // Drawn after the nemesis' stream, so that a seed's fault schedule is what it was before the writers.
      for (int c = 0; c < Workloads.WRITER_REGISTERS.size(); c++) {
        clients.add(new Thread(Workloads.writer("x" + c, Workloads.WRITER_REGISTERS.get(c),
            rotated(cluster.endpoints(), c + 1), history, new Random(random.nextLong()), running, clientsOf), "x" + c));
      }
      clients.forEach(Thread::start);
      try {
        int step = 0;
        while (running.getAsBoolean() && !history.full()) {
          sleepMs(500 + nemesis.nextInt(1000));
          if (!running.getAsBoolean() || history.full()) {
            break;
          }
          Faults.Fault fault = scenario.faults().get(step++ % scenario.faults().size());
          String what = fault.inject(cluster, nemesis);
          faults++;
          history.note("inject " + fault.name() + ": " + what);
          schedule.add(String.format("%.3f s inject %s: %s", history.now() / 1e9, fault.name(), what));
          sleepMs(fault.holdMs(nemesis, scenario.holdMs()));
          fault.heal(cluster);
          long healed = System.nanoTime();
          history.note("heal " + fault.name());
          schedule.add(String.format("%.3f s heal %s", history.now() / 1e9, fault.name()));
          checkLiveness(live, "heal of " + fault.name(), healed, history, schedule, liveness);
          Faults.leader(cluster);
          scenario.afterHeal(cluster, history, schedule);
        }
      } finally {
        cluster.healNetwork();
        for (int i = 0; i < cluster.size(); i++) {
          cluster.resume(i);
          if (!cluster.isRunning(i)) {
            cluster.start(i);
          }
        }
      }
      checkLiveness(live, "the end of the run", System.nanoTime(), history, schedule, liveness);
      for (Thread client : clients) {
        client.join(TimeUnit.SECONDS.toMillis(30));
        if (client.isAlive()) {
          problems.add("client " + client.getName() + " did not stop within 30 s of the end of the run");
        }
      }
      monitor.stop();

      // Quiescence: every node up and answering, then the final state.
      Faults.leader(cluster);
      await().atMost(Duration.ofSeconds(60)).until(() -> allAnswer(cluster));
      System.out.println("chaos: quiescent after " + (System.nanoTime() - started) / 1_000_000 + " ms");
      // The job reaper keeps expiring abandoned leases after the clients stop: take the items and
      // the stats from one moment, i.e. a listing during which the stats did not change.
      FinalQueue finalQueue = await().atMost(Duration.ofSeconds(60)).until(() -> finalQueue(cluster.admin()),
          java.util.Objects::nonNull);
      List<WorkItem> items = finalQueue.items();
      QueueStats stats = finalQueue.stats();
      List<History.Op> ops = history.ops();
      problems.addAll(RegisterChecker.check(ops, initial));
      problems.addAll(QueueChecker.check(ops, items, stats));
      problems.addAll(monitor.problems());
      fencedWatcher.stop(cluster.admin());
      problems.addAll(fencedWatcher.checker().problems());
      ExactlyOnceChecker.Report once = ExactlyOnceChecker.check(ops, items, fencedWatcher.checker().configChanges(),
          fencedWatcher.checker().complete(), Workloads.CLIENT_TIMEOUT);
      problems.addAll(once.problems());
      problems.addAll(checkLeaderHistories(cluster));
      problems.addAll(checkDigests(cluster));
      liveness.forEach(check -> problems.addAll(check.problems()));
      Map<String, Integer> counts = new LinkedHashMap<>();
      for (History.Op op : ops) {
        if (!op.type().equals("nemesis")) {
          counts.merge(op.type() + ":" + op.outcome().name().toLowerCase(), 1, Integer::sum);
        }
      }
      counts.put("total", (int) ops.stream().filter(o -> !o.type().equals("nemesis")).count());
      counts.put("final_items", items.size());
      counts.putAll(once.counts());
      counts.put("leader_events_checked", (int) fencedWatcher.checker().checked());
      counts.put("link_resets", cluster.inNamespaces() ? 0 : (int) cluster.links().resets());
      counts.put("live_checks", liveness.size());
      liveness.stream().max(java.util.Comparator.comparing(LivenessChecker.Check::timeToLive)).ifPresent(slowest -> {
        counts.put("live_max_ms", (int) slowest.timeToLive().toMillis());
        System.out.println("chaos: liveness max time-to-live " + LivenessChecker.millis(slowest.timeToLive())
            + " (bound " + LivenessChecker.seconds(liveBound) + ", " + liveness.size() + " checks), slowest "
            + slowest.summary());
      });
      long[] okLatencies = ops.stream().filter(o -> o.outcome() == History.Outcome.OK && !o.type().equals("nemesis"))
          .mapToLong(o -> (o.returnNanos() - o.invokeNanos()) / 1_000_000).sorted().toArray();
      if (okLatencies.length > 0) {
        counts.put("ok_p50_ms", (int) okLatencies[okLatencies.length / 2]);
        counts.put("ok_p99_ms", (int) okLatencies[okLatencies.length * 99 / 100]);
      }
      schedule.forEach(line -> System.out.println("chaos: schedule " + line));
      Result result = new Result(spec, problems, counts, faults, Duration.ofNanos(System.nanoTime() - started),
          problems.isEmpty() ? null : dir);
      if (!problems.isEmpty()) {
        history.writeJson(dir.resolve("history.json"));
        Files.write(dir.resolve("schedule.txt"), schedule);
        Files.write(dir.resolve("problems.txt"), problems);
        Files.writeString(dir.resolve("rerun.txt"), rerunCommand(spec) + "\n");
      }
      return result;
    } catch (Exception | AssertionError e) {
      history.writeJson(dir.resolve("history.json"));
      Files.write(dir.resolve("schedule.txt"), schedule);
      Files.writeString(dir.resolve("rerun.txt"), rerunCommand(spec) + "\n");
      throw e;
    } finally {
      boolean keep = !problems.isEmpty() || Files.exists(dir.resolve("rerun.txt"));
      if (keep) {
        System.out.println("chaos: FAILED scenario=" + spec.scenario() + " seed=" + spec.seed() + "; kept " + dir
            + "\nchaos: rerun with: " + rerunCommand(spec));
      } else {
        deleteTree(dir);
      }
    }
  }

  /** Waits until every node is live again (or the bound passes) and records what it saw. */
  private static void checkLiveness(LivenessChecker live, String after, long healedNanos, History history,
      List<String> schedule, List<LivenessChecker.Check> liveness) throws InterruptedException {
    LivenessChecker.Check check = live.await(after, healedNanos);
    liveness.add(check);
    history.note("liveness " + check.summary());
    schedule.add(String.format("%.3f s liveness %s", history.now() / 1e9, check.summary()));
    System.out.println("chaos: liveness " + check.summary());
    check.problems().forEach(p -> System.out.println("chaos: " + p));
  }

  static List<org.ringrift.cluster.contract.Endpoint> rotated(List<org.ringrift.cluster.contract.Endpoint> endpoints, int by) {
    List<org.ringrift.cluster.contract.Endpoint> list = new ArrayList<>(endpoints);
    java.util.Collections.rotate(list, -(by % list.size()));
    return list;
  }

  /** Known starting values for the registers, written before the history starts. */
  private static Map<String, String> setUp(ChaosCluster cluster) {
    Map<String, String> initial = new HashMap<>();
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
      for (String key : Workloads.REGISTERS) {
        cluster.admin().setConfig(key, "500");
        initial.put(key, "500");
      }
      for (String key : Workloads.WRITER_REGISTERS) {
        cluster.admin().setConfig(key, Workloads.WRITER_INITIAL);
        initial.put(key, Workloads.WRITER_INITIAL);
      }
      // Lease expiry sends an item back at once, so redeliveries happen within a short run.
      cluster.admin().setConfig("queue.retry_backoff_base_ms", "0");
      cluster.admin().setConfig("queue.retry_backoff_max_ms", "0");
    });
    return initial;
  }

  private static boolean allAnswer(ChaosCluster cluster) {
    for (int i = 0; i < cluster.size(); i++) {
      if (cluster.statusOf(i).isEmpty()) {
        return false;
      }
    }
    return true;
  }

  private record FinalQueue(List<WorkItem> items, QueueStats stats) {}

  /** Items and stats of one moment, or null if the queue changed while it was being listed. */
  private static FinalQueue finalQueue(ClusterClient client) {
    QueueStats before = client.queueStats();
    List<WorkItem> items = listAll(client);
    QueueStats after = client.queueStats();
    return before.equals(after) ? new FinalQueue(items, after) : null;
  }

  static List<WorkItem> listAll(ClusterClient client) {
    List<WorkItem> all = new ArrayList<>();
    String after = "";
    for (int page = 0; page < 10_000; page++) {
      ListItemsResult result = client.listItems(ListItemsRequest.newBuilder().setAfterId(after).setLimit(500).build());
      all.addAll(result.getItemsList());
      if (result.getNextAfterId().isEmpty() || result.getItemsCount() == 0) {
        return all;
      }
      after = result.getNextAfterId();
    }
    throw new IllegalStateException("more than 10000 pages of items");
  }

  /** One leader per term in every node's copy of the replicated leader history. */
  private static List<String> checkLeaderHistories(ChaosCluster cluster) {
    List<String> problems = new ArrayList<>();
    Map<Long, String> leaders = new HashMap<>();
    for (int i = 0; i < cluster.size(); i++) {
      try (ClusterClient one = new ClusterClient(List.of(cluster.endpoint(i)), Duration.ofSeconds(10))) {
        for (LeaderRecord record : one.leaderHistory(1000)) {
          String previous = leaders.putIfAbsent(record.getTerm(), record.getLeaderId());
          if (previous != null && !previous.equals(record.getLeaderId())) {
            problems.add("term " + record.getTerm() + " has leaders " + previous + " and " + record.getLeaderId()
                + " (leader history of " + cluster.id(i) + ")");
          }
        }
      }
    }
    return problems;
  }

  /** Digests are equal on every node that has applied the same index (waits for a common index). */
  private static List<String> checkDigests(ChaosCluster cluster) {
    List<String> problems = new ArrayList<>();
    try {
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
        List<DigestResult> digests = new ArrayList<>();
        for (int i = 0; i < cluster.size(); i++) {
          digests.add(cluster.admin().digestOf(cluster.endpoint(i)));
        }
        if (digests.stream().map(DigestResult::getAppliedIndex).distinct().count() != 1) {
          return false;
        }
        if (digests.stream().map(DigestResult::getDigest).distinct().count() != 1) {
          problems.add("digests differ at applied index " + digests.get(0).getAppliedIndex() + ": "
              + digests.stream().map(DigestResult::getDigest).toList());
        }
        return true;
      });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      problems.add("nodes never reached a common applied index within 60 s");
    }
    return problems;
  }

  /** Watches every node's own status and records who claims to lead which term. */
  static final class LeaderMonitor {
    private final ChaosCluster cluster;
    private final Map<Long, String> leaderOfTerm = new HashMap<>();
    private final List<String> problems = new ArrayList<>();
    private volatile boolean stop;
    private Thread thread;

    LeaderMonitor(ChaosCluster cluster) {
      this.cluster = cluster;
    }

    void start() {
      thread = new Thread(() -> {
        List<ClusterClient> clients = new ArrayList<>();
        for (int i = 0; i < cluster.size(); i++) {
          clients.add(new ClusterClient(List.of(cluster.endpoint(i)), Duration.ofMillis(500)));
        }
        try {
          while (!stop) {
            for (int i = 0; i < cluster.size(); i++) {
              try {
                NodeStatus s = clients.get(i).status();
                if (s.getIsLeader()) {
                  observe(s.getTerm(), s.getNodeId());
                }
              } catch (RuntimeException e) {
                // down, paused or cut off: nothing observed
              }
            }
            sleepMs(200);
          }
        } finally {
          clients.forEach(ClusterClient::close);
        }
      }, "leader-monitor");
      thread.setDaemon(true);
      thread.start();
    }

    private synchronized void observe(long term, String node) {
      String previous = leaderOfTerm.putIfAbsent(term, node);
      if (previous != null && !previous.equals(node)) {
        problems.add("two nodes claimed to lead term " + term + ": " + previous + " and " + node);
      }
    }

    void stop() throws InterruptedException {
      stop = true;
      thread.join(10_000);
    }

    synchronized List<String> problems() {
      return List.copyOf(problems);
    }
  }

  static void sleepMs(long ms) {
    try {
      TimeUnit.MILLISECONDS.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
