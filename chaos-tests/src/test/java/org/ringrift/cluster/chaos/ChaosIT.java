package org.ringrift.cluster.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The CI chaos suite: every fault class at least once on a 3-node cluster, hundreds of
 * operations per scenario, each run bounded in time and operations. Seeds are fixed per scenario
 * unless -Dchaos.seed is given; a failing run prints its seed and the command that reruns it.
 */
class ChaosIT {
  static final Path RUNS = Path.of("target", "chaos-runs");

  static long seed(long fixed) {
    return Long.getLong("chaos.seed", fixed);
  }

  static void run(String scenario, long fixedSeed, int nodes) throws Exception {
    run(scenario, fixedSeed, nodes, Duration.ofSeconds(25));
  }

  static void run(String scenario, long fixedSeed, int nodes, Duration duration) throws Exception {
    run(scenario, fixedSeed, nodes, duration, 4_000);
  }

  static void run(String scenario, long fixedSeed, int nodes, Duration duration, int maxOps) throws Exception {
    ChaosRun.Spec spec = new ChaosRun.Spec(scenario, seed(fixedSeed), nodes, duration, maxOps);
    ChaosRun.Result result = ChaosRun.run(spec, RUNS);
    System.out.println("chaos: " + result.summary());
    assertThat(result.problems()).as("seed %d, rerun: %s", spec.seed(), ChaosRun.rerunCommand(spec)).isEmpty();
    assertThat(result.faults()).isPositive();
    assertThat(result.opCounts().get("total")).isGreaterThanOrEqualTo(200);
  }

  /** Seed 1 found bug 5 (docs/CHAOS.md): a config write applied twice after a client failover. */
  @Test
  void killAndPauseLeaderAndFollower() throws Exception {
    run("kill-pause", 1L, 3);
  }

  @Test
  void partitions() throws Exception {
    run("partition", 3L, 3);
  }

  @Test
  void delayAndWipedFollower() throws Exception {
    run("delay-wipe", 4L, 3);
  }

  @Test
  void clockJumpsLeaderTransferAndSnapshotInstall() throws Exception {
    // Longer: the snapshot install waits until the leader's log has been purged past the follower.
    run("clock-snapshot", 5L, 3, Duration.ofSeconds(35));
  }

  /**
   * Real partitions: each node in its own network namespace, cuts are blackhole routes (skipped
   * without root). The leader is isolated past every client and retry deadline first (15-20 s),
   * then frozen while cut off, then a bridge and shifting majorities. More operations than the
   * other scenarios allow: the clients reach about 130 per second, and the long isolation alone
   * takes 4,000.
   */
  @Test
  void realNetworkPartitions() throws Exception {
    run("netns", 6L, 3, Duration.ofSeconds(50), 8_000);
  }

  /**
   * Issue 17: kill -9, SIGSTOP and isolation of the leader and its replies swallowed, while every
   * client resends its writes through its session. The exactly-once checker (runs on every
   * scenario) counts every write in the final state and finds no unknown outcome before a deadline.
   */
  @Test
  void exactlyOnceWritesThroughLeaderFaults() throws Exception {
    // 28 s and 6,000 operations: the restart after the kill takes about 10 s of it, and every one
    // of the four faults should come round once.
    run("exactly-once", 9L, 3, Duration.ofSeconds(28), 6_000);
  }

  /**
   * The broken build "no sessions" (clients=no-sessions: every client is the at-most-once client
   * from before issue 17, ClusterClient.withoutSessions) must be caught by the exactly-once
   * checker: a write whose answer was lost at the killed or frozen leader ends in "outcome unknown"
   * at once, long before its deadline.
   *
   * <p>Not in the default run: whether the broken build shows an early unknown depends on a write of
   * those clients being in flight at the instant of a kill -9, and in four 12-28 s runs of the same
   * seed it was in two (0, 1, 7 and 0 early unknowns; the later faults, cut replies, a pause and a
   * partition, make the broken clients wait out their deadline, which the checker allows). What it
   * checks is covered deterministically by CheckersTest (the checker finds early unknowns in a
   * history) and node's ClientDeliveryTest (a session write whose answer was lost is sent again and
   * answered once). Run it with -Dchaos.brokenSessions=true (docs/CHAOS.md).
   */
  @Test
  @org.junit.jupiter.api.condition.EnabledIfSystemProperty(named = "chaos.brokenSessions", matches = "true")
  void withoutSessionsTheExactlyOnceCheckerFindsUnknownOutcomesBeforeTheDeadline() throws Exception {
    ChaosRun.Spec spec = new ChaosRun.Spec("exactly-once", seed(9L), 3, Duration.ofSeconds(28), 6_000,
        ChaosRun.NO_SESSIONS);
    ChaosRun.Result result = ChaosRun.run(spec, RUNS);
    System.out.println("chaos: broken build " + ChaosRun.NO_SESSIONS + ": " + result.summary());
    assertThat(result.problems()).as("the exactly-once checker must catch the broken build; rerun: %s",
        ChaosRun.rerunCommand(spec)).anyMatch(p -> p.contains("returned an unknown outcome before their"));
  }

  /**
   * The broken build "shared ordered write client" (writes=shared-client: every write of a node
   * goes through one ordered Ratis client, whose sliding window closes for good once a request
   * runs out of retries) must be caught by the liveness checker: with a majority down for 15 s,
   * the survivor's writes run out of retries and it never takes a write again (issue 23).
   */
  @Test
  void withTheSharedWriteClientTheLivenessCheckerFindsANodeThatNeverServesAgain() throws Exception {
    ChaosRun.Spec spec = new ChaosRun.Spec("kill-majority", seed(8L), 3, Duration.ofSeconds(20), 4_000,
        "writes=shared-client");
    ChaosRun.Result result = ChaosRun.run(spec, RUNS);
    System.out.println("chaos: broken build writes=shared-client: " + result.summary());
    assertThat(result.problems()).as("the liveness checker must catch the broken build; rerun: %s",
        ChaosRun.rerunCommand(spec)).anyMatch(p -> p.startsWith("liveness ") && p.contains("own endpoint"));
  }

  /**
   * The broken build "linearizable reads off" (reads=local: every node answers reads from its own
   * applied state, as follower reads do) must be caught by the register checker.
   */
  @Test
  void withLinearizableReadsOffTheRegisterCheckerFindsAStaleRead() throws Exception {
    ChaosRun.Spec spec = new ChaosRun.Spec("stale-read", seed(7L), 3, Duration.ofSeconds(15), 4_000, "reads=local");
    ChaosRun.Result result = ChaosRun.run(spec, RUNS);
    System.out.println("chaos: broken build reads=local: " + result.summary());
    assertThat(result.problems()).as("the register checker must catch the broken build; rerun: %s",
        ChaosRun.rerunCommand(spec)).anyMatch(p -> p.startsWith("register "));
  }
}
