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
import org.ringrift.cluster.proto.CommandBatch;
import org.ringrift.cluster.proto.CommandResult;

/**
 * (e) Group commit on the apply side: {@code commands} enqueues of 256 bytes applied as that many
 * single entries (one store commit each) or as one batch entry (one commit, a savepoint per
 * command). One operation is all {@code commands} of them either way, so the two scores compare
 * directly.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class BatchApplyBenchmark {
  @Param({"16", "128"})
  public int commands;

  private StoreHarness harness;
  private Command single;
  private Command batch;

  // A fresh store per iteration, as in EnqueueBenchmark: the queue only grows.
  @Setup(Level.Iteration)
  public void open() {
    harness = StoreHarness.open();
    single = Workloads.enqueueCommand();
    CommandBatch.Builder commandsOfBatch = CommandBatch.newBuilder();
    for (int i = 0; i < commands; i++) {
      commandsOfBatch.addCommands(single);
    }
    batch = Command.newBuilder().setBatch(commandsOfBatch).build();
  }

  @TearDown(Level.Iteration)
  public void close() {
    harness.close();
  }

  @Benchmark
  public CommandResult singleEntries() {
    CommandResult last = null;
    for (int i = 0; i < commands; i++) {
      last = harness.applyOk(single);
    }
    return last;
  }

  @Benchmark
  public CommandResult oneBatchEntry() {
    CommandResult result = harness.applyOk(batch);
    for (CommandResult one : result.getBatch().getResultsList()) {
      if (one.hasRejected()) {
        throw new IllegalStateException("rejected in a batch: " + one.getRejected());
      }
    }
    return result;
  }

  long pending() {
    return harness.stats().getPending();
  }
}
