package org.ringrift.cluster.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The liveness checker can fail: on a real process cluster it passes while every node serves,
 * names the one node that cannot (frozen with SIGSTOP) while the others pass, and passes again
 * once that node is resumed.
 */
class LivenessCheckerIT {
  private static final Duration SHORT_BOUND = Duration.ofSeconds(3);

  @TempDir Path dir;

  @Test
  void aFrozenNodeIsReportedAndTheOthersAreLive() throws Exception {
    try (ChaosCluster cluster = new ChaosCluster(dir, ChaosCluster.Options.of(3));
        LivenessChecker checker = new LivenessChecker(cluster, LivenessChecker.bound(), 1);
        LivenessChecker shortChecker = new LivenessChecker(cluster, SHORT_BOUND, 1)) {
      cluster.awaitFirstLeader(Duration.ofSeconds(90));
      assertThat(checker.await("start", System.nanoTime()).problems()).isEmpty();

      int frozen = Faults.leader(cluster) == 0 ? 1 : 0;
      cluster.pause(frozen);
      LivenessChecker.Check whileFrozen = shortChecker.await("SIGSTOP of " + cluster.id(frozen), System.nanoTime());
      System.out.println("liveness-self-test: " + whileFrozen.summary() + " " + whileFrozen.problems());
      assertThat(whileFrozen.problems()).singleElement().asString()
          .startsWith("liveness " + cluster.id(frozen) + ": no write accepted through its own endpoint within 3 s after "
              + "SIGSTOP of " + cluster.id(frozen) + ": ");
      assertThat(whileFrozen.nodes()).filteredOn(LivenessChecker.NodeResult::live).hasSize(2);

      cluster.resume(frozen);
      LivenessChecker.Check resumed = checker.await("SIGCONT of " + cluster.id(frozen), System.nanoTime());
      System.out.println("liveness-self-test: " + resumed.summary());
      assertThat(resumed.problems()).isEmpty();
    }
  }
}
