package org.ringrift.cluster.bench;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.ringrift.cluster.proto.Command;

/**
 * (d) What every log entry costs around apply: the proposer encodes the command, each replica's
 * state machine decodes it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CommandCodecBenchmark {
  private Command enqueue;

  @Setup
  public void build() {
    enqueue = Workloads.enqueueCommand();
  }

  @Benchmark
  public Command encodeDecodeEnqueue() throws InvalidProtocolBufferException {
    return Command.parseFrom(enqueue.toByteArray());
  }
}
