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
    ChaosRun.Spec spec = new ChaosRun.Spec(scenario, seed(fixedSeed), nodes, Duration.ofSeconds(25), 4_000);
    ChaosRun.Result result = ChaosRun.run(spec, RUNS);
    System.out.println("chaos: " + result.summary());
    assertThat(result.problems()).as("seed %d, rerun: %s", spec.seed(), ChaosRun.rerunCommand(spec)).isEmpty();
    assertThat(result.faults()).isPositive();
    assertThat(result.opCounts().get("total")).isGreaterThanOrEqualTo(200);
  }

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
}
