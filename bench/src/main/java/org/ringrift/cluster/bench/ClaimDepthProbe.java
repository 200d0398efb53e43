package org.ringrift.cluster.bench;

import org.ringrift.cluster.proto.ClaimRequest;
import org.ringrift.cluster.proto.Command;
import org.ringrift.cluster.proto.WorkType;

/**
 * Not a JMH benchmark: shows how the cost of one claim grows with the number of items already
 * claimed from the same store (see docs/PERFORMANCE.md). Fills a selfplay-only queue, then claims
 * in blocks and prints the mean cost per claim for each block, and that of a claim restricted to
 * an empty work type. Run: java -cp bench/target/benchmarks.jar org.ringrift.cluster.bench.ClaimDepthProbe
 */
public final class ClaimDepthProbe {
  private static final int PENDING = 50_000;
  private static final int BLOCK = 2_000;
  private static final int BLOCKS = 10;
  private static final int EMPTY_TYPE_CLAIMS = 200;

  private ClaimDepthProbe() {}

  public static void main(String[] args) {
    Command claimAny = Workloads.claimOne("probe-worker");
    Command claimEmptyType = Command.newBuilder().setNowMs(StoreHarness.NOW_MS)
        .setClaim(ClaimRequest.newBuilder().setWorkerId("probe-worker").setMaxItems(1)
            .addWorkTypes(WorkType.WORK_TYPE_TRAINING)).build();
    try (StoreHarness harness = StoreHarness.open()) {
      harness.enqueue(PENDING, i -> Workloads.selfplay());
      System.out.printf("%d selfplay items pending%n", PENDING);
      System.out.println("claimed so far | us per claim (any type) | us per claim (empty type)");
      for (int block = 1; block <= BLOCKS; block++) {
        long any = timePerCall(harness, claimAny, BLOCK);
        long empty = timePerCall(harness, claimEmptyType, EMPTY_TYPE_CLAIMS);
        System.out.printf("%14d | %22.1f | %24.1f%n", block * BLOCK, any / 1e3, empty / 1e3);
      }
    }
  }

  private static long timePerCall(StoreHarness harness, Command command, int calls) {
    long start = System.nanoTime();
    for (int i = 0; i < calls; i++) {
      harness.applyOk(command);
    }
    return (System.nanoTime() - start) / calls;
  }
}
