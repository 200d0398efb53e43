package org.ringrift.cluster.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.ringrift.cluster.proto.Command;
import org.ringrift.cluster.proto.CommandResult;

/**
 * (c) Claim selection in a deep queue: a claim of one item of any type against {@code pending}
 * items of all ten work types and priorities 0-100. The claim scans the head of every type's
 * ready range and merges by priority, then enqueue order.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ClaimSelectionBenchmark {
  @Param("100000")
  public int pending;

  private StoreHarness harness;
  private Command claim;
  private final SplittableRandom random = new SplittableRandom(7);

  @Setup(Level.Trial)
  public void open() {
    harness = StoreHarness.open();
    claim = Workloads.claimOne("bench-worker");
  }

  /** Tops the queue back up to {@code pending}, outside the measurement. */
  @Setup(Level.Iteration)
  public void refill() {
    int missing = (int) (pending - harness.stats().getPending());
    harness.enqueue(missing, i -> Workloads.mixed(random));
  }

  @TearDown(Level.Trial)
  public void close() {
    harness.close();
  }

  @Benchmark
  public CommandResult claimOneOfMany() {
    CommandResult claimed = harness.applyOk(claim);
    if (claimed.getClaim().getItemsCount() == 0) {
      throw new IllegalStateException("the queue ran dry within one iteration: raise -p pending (now "
          + pending + ") or shorten the iteration");
    }
    return claimed;
  }
}
