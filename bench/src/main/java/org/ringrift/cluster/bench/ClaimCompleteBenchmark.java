package org.ringrift.cluster.bench;

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
import org.ringrift.cluster.proto.CompleteRequest;
import org.ringrift.cluster.proto.WorkItem;

/**
 * (b) One worker round trip through apply: claim one item, then complete it with the lease token
 * the claim returned. Two log entries per operation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ClaimCompleteBenchmark {
  /** Pending items at the start of every iteration; must exceed what one iteration claims. */
  @Param("50000")
  public int pending;

  private StoreHarness harness;
  private Command claim;

  @Setup(Level.Trial)
  public void open() {
    harness = StoreHarness.open();
    claim = Workloads.claimOne("bench-worker");
  }

  /** Tops the queue back up, outside the measurement, so every iteration sees the same depth. */
  @Setup(Level.Iteration)
  public void refill() {
    int missing = (int) (pending - harness.stats().getPending());
    harness.enqueue(missing, i -> Workloads.selfplay());
  }

  @TearDown(Level.Trial)
  public void close() {
    harness.close();
  }

  @Benchmark
  public CommandResult claimAndComplete() {
    CommandResult claimed = harness.applyOk(claim);
    if (claimed.getClaim().getItemsCount() == 0) {
      throw new IllegalStateException("the queue ran dry within one iteration: raise -p pending (now "
          + pending + ") or shorten the iteration");
    }
    WorkItem item = claimed.getClaim().getItems(0);
    return harness.applyOk(Command.newBuilder().setNowMs(StoreHarness.NOW_MS)
        .setComplete(CompleteRequest.newBuilder().setItemId(item.getId()).setToken(item.getLease()))
        .build());
  }
}
