package org.ringrift.cluster.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ringrift.cluster.client.ClusterClient;

/**
 * The recipe of issue 23: after a partition heals, or a killed majority comes back, every node
 * serves again within {@link LivenessChecker#bound()}: 5 of 5 writes through its own endpoint,
 * /health/ready 200, no FAILED daemon. While the fault holds, writes keep arriving at the node
 * that cannot commit them (the isolated leader, the lone survivor), as they do in production;
 * running them out of retries is what broke the node's write path for good.
 *
 * <p>CI: one 9 s cut of the leader (network namespaces; skipped without root) and one 15 s kill
 * of the leader and a follower (loopback). -Dchaos.livenessLong=true runs the matrix:
 * cuts of 5, 9, 15 and 30 s, kills of 15 and 60 s, then 20 cycles of both in a row.
 */
class PartitionLivenessIT {
  static final String LONG_PROPERTY = "chaos.livenessLong";
  /** Writes each node must take through its own endpoint after a heal. */
  static final int WRITES = 5;
  private static final int CYCLES = 20;
  private static final Duration CYCLE_CUT = Duration.ofSeconds(9);
  private static final Duration CYCLE_KILL = Duration.ofSeconds(15);

  @TempDir Path dir;

  static boolean longMode() {
    return Boolean.getBoolean(LONG_PROPERTY);
  }

  @Test
  void afterTheLeaderIsCutOffFromBothFollowersEveryNodeTakesWritesAgain() throws Exception {
    requireNamespaces();
    List<Integer> cuts = longMode() ? List.of(5, 9, 15, 30) : List.of(9);
    try (Recipe recipe = new Recipe(dir, ChaosCluster.Options.of(3).inNamespaces())) {
      for (int seconds : cuts) {
        recipe.cutLeaderOff(Duration.ofSeconds(seconds));
      }
      recipe.assertLive();
    }
  }

  @Test
  void afterTheLeaderAndAFollowerAreKilledAndRestartedEveryNodeTakesWritesAgain() throws Exception {
    List<Integer> kills = longMode() ? List.of(15, 60) : List.of(15);
    try (Recipe recipe = new Recipe(dir, ChaosCluster.Options.of(3))) {
      for (int seconds : kills) {
        recipe.killMajority(Duration.ofSeconds(seconds));
      }
      recipe.assertLive();
    }
  }

  @Test
  void twentyCyclesOfCutAndKillInARow() throws Exception {
    assumeTrue(longMode(), "20 cycles of a 9 s cut and a 15 s kill (about 12 minutes): -D" + LONG_PROPERTY + "=true");
    requireNamespaces();
    try (Recipe recipe = new Recipe(dir, ChaosCluster.Options.of(3).inNamespaces())) {
      for (int cycle = 1; cycle <= CYCLES; cycle++) {
        System.out.println("liveness-recipe: cycle " + cycle + " of " + CYCLES);
        recipe.cutLeaderOff(CYCLE_CUT);
        recipe.killMajority(CYCLE_KILL);
      }
      recipe.assertLive();
    }
  }

  private static void requireNamespaces() {
    NetNamespaces.unavailable().ifPresent(reason -> Assumptions.abort(
        "the leader cut runs each node in its own network namespace; skipped: " + reason));
  }

  /** A cluster, the checker, and every check made so far. */
  private static final class Recipe implements AutoCloseable {
    private final ChaosCluster cluster;
    private final LivenessChecker checker;
    private final Random random = new Random(23);
    private final List<LivenessChecker.Check> checks = new ArrayList<>();

    Recipe(Path dir, ChaosCluster.Options options) throws Exception {
      cluster = new ChaosCluster(dir, options);
      checker = new LivenessChecker(cluster, LivenessChecker.bound(), WRITES);
      try {
        cluster.awaitFirstLeader(Duration.ofSeconds(90));
        // The baseline: a healthy cluster passes (or the checker, not the fault, would be what fails).
        record(checker.await("start (no fault yet)", System.nanoTime()));
      } catch (Exception | AssertionError e) {
        close();
        throw e;
      }
    }

    /** Blackhole routes cut the leader off from both followers for {@code hold}, while writes keep arriving at it. */
    void cutLeaderOff(Duration hold) throws Exception {
      int leader = Faults.leader(cluster);
      cluster.netns().partition(Set.of(leader));
      try (Writer writer = new Writer(cluster, leader)) {
        // The fault's duration: the partition holds this long.
        ChaosRun.sleepMs(hold.toMillis());
        cluster.netns().healAll();
        long healed = System.nanoTime();
        writer.requestStop();
        LivenessChecker.Check check = checker.await("heal of a " + hold.toSeconds() + " s cut of leader "
            + cluster.id(leader) + " from both followers", healed);
        System.out.println("liveness-recipe: writes sent to " + cluster.id(leader) + " during the cut: " + writer.outcome());
        record(check);
      }
    }

    /** kill -9 of the leader and one follower for {@code down}, while writes keep arriving at the survivor. */
    void killMajority(Duration down) throws Exception {
      int leader = Faults.leader(cluster);
      List<Integer> followers = new ArrayList<>();
      for (int i = 0; i < cluster.size(); i++) {
        if (i != leader) {
          followers.add(i);
        }
      }
      int follower = followers.remove(random.nextInt(followers.size()));
      int survivor = followers.get(0);
      cluster.kill(leader);
      cluster.kill(follower);
      try (Writer writer = new Writer(cluster, survivor)) {
        // The fault's duration: the majority stays down this long.
        ChaosRun.sleepMs(down.toMillis());
        cluster.start(leader);
        cluster.start(follower);
        long restarted = System.nanoTime();
        writer.requestStop();
        LivenessChecker.Check check = checker.await("restart of leader " + cluster.id(leader) + " and follower "
            + cluster.id(follower) + " after " + down.toSeconds() + " s down", restarted);
        System.out.println("liveness-recipe: writes sent to survivor " + cluster.id(survivor) + " while the others were "
            + "down: " + writer.outcome());
        record(check);
      }
    }

    private void record(LivenessChecker.Check check) {
      checks.add(check);
      System.out.println("liveness-recipe: " + check.summary());
      check.problems().forEach(p -> System.out.println("liveness-recipe: " + p));
    }

    void assertLive() {
      List<String> problems = checks.stream().flatMap(c -> c.problems().stream()).toList();
      Duration slowest = checks.stream().map(LivenessChecker.Check::timeToLive).max(Duration::compareTo).orElseThrow();
      System.out.println("liveness-recipe: " + checks.size() + " checks, max time-to-live " + LivenessChecker.millis(slowest)
          + " (bound " + LivenessChecker.seconds(LivenessChecker.bound()) + ", " + WRITES + " writes per node)");
      assertThat(problems).as("every node takes %d of %d writes through its own endpoint and is ready within %s",
          WRITES, WRITES, LivenessChecker.bound()).isEmpty();
    }

    @Override
    public void close() {
      checker.close();
      cluster.close();
    }
  }

  /** Keeps sending writes to one node through its own endpoint (a client that cannot fail over). */
  private static final class Writer implements AutoCloseable {
    private static final long PACE_MS = 500;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicInteger ok = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final List<String> lastError = new ArrayList<>();
    private final Thread thread;

    Writer(ChaosCluster cluster, int node) {
      thread = new Thread(() -> {
        try (ClusterClient client = ClusterClient.pinnedTo(cluster.endpoint(node), Workloads.CLIENT_TIMEOUT)) {
          for (long n = 0; !stop.get(); n++) {
            try {
              client.setConfig(LivenessChecker.KEYS.get(node), Long.toString(200_000 + n));
              ok.incrementAndGet();
            } catch (RuntimeException e) {
              failed.incrementAndGet();
              synchronized (lastError) {
                lastError.clear();
                lastError.add(e.getMessage());
              }
            }
            // Pacing of a client, not synchronisation.
            ChaosRun.sleepMs(PACE_MS);
          }
        }
      }, "writer-" + cluster.id(node));
      thread.setDaemon(true);
      thread.start();
    }

    /** No more writes after the one in flight. */
    void requestStop() {
      stop.set(true);
    }

    /** Waits for the writer to end and says how its writes went. */
    String outcome() throws InterruptedException {
      requestStop();
      thread.join(Workloads.CLIENT_TIMEOUT.toMillis() + 5_000);
      synchronized (lastError) {
        return ok.get() + " ok, " + failed.get() + " failed" + (lastError.isEmpty() ? "" : ", last: " + lastError.get(0));
      }
    }

    @Override
    public void close() {
      stop.set(true);
    }
  }
}
