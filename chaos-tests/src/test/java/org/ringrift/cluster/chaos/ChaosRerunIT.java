package org.ringrift.cluster.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The long mode and the rerun of one seed: runs only when -Dchaos.scenario is set (or
 * -Dchaos.long=true, which defaults to the "mixed" scenario for ten minutes). See docs/CHAOS.md.
 */
class ChaosRerunIT {
  @Test
  void rerun() throws Exception {
    boolean longMode = Boolean.getBoolean("chaos.long");
    String scenario = System.getProperty("chaos.scenario", longMode ? "mixed" : "");
    assumeTrue(!scenario.isEmpty(), "set -Dchaos.scenario=NAME or -Dchaos.long=true");
    long seed = Long.getLong("chaos.seed", System.nanoTime());
    ChaosRun.Spec spec = new ChaosRun.Spec(scenario, seed, Integer.getInteger("chaos.nodes", 3),
        Duration.parse(System.getProperty("chaos.duration", longMode ? "PT10M" : "PT20S")),
        Integer.getInteger("chaos.maxOps", longMode ? 1_000_000 : 4_000), System.getProperty("chaos.unsafe", ""));
    ChaosRun.Result result = ChaosRun.run(spec, ChaosIT.RUNS);
    System.out.println("chaos: " + result.summary());
    assertThat(result.problems()).as("seed %d, rerun: %s", spec.seed(), ChaosRun.rerunCommand(spec)).isEmpty();
  }
}
