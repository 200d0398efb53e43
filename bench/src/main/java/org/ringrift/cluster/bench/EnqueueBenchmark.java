package org.ringrift.cluster.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.ringrift.cluster.proto.Command;
import org.ringrift.cluster.proto.CommandResult;

/** (a) Apply of one enqueue with a 256-byte payload: validation, item, indexes, counters, commit. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class EnqueueBenchmark {
  private StoreHarness harness;
  private Command enqueue;

  // A fresh store per iteration: the queue only grows here, and each iteration should start
  // from the same state instead of from wherever the previous one left it.
  @Setup(Level.Iteration)
  public void open() {
    harness = StoreHarness.open();
    enqueue = Workloads.enqueueCommand();
  }

  @TearDown(Level.Iteration)
  public void close() {
    harness.close();
  }

  @Benchmark
  public CommandResult enqueue256B() {
    return harness.applyOk(enqueue);
  }
}
