package org.ringrift.cluster.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.ringrift.cluster.proto.Command;
import org.ringrift.cluster.proto.CommandResult;
import org.ringrift.cluster.proto.WorkState;

/**
 * Runs every benchmark's life cycle (setup, a few calls of the body, teardown) on small queues,
 * so that the benchmarks cannot rot while nobody runs JMH. Measures nothing.
 */
class BenchmarksSmokeTest {
  @Test
  void enqueueCreatesPendingItems() {
    EnqueueBenchmark bench = new EnqueueBenchmark();
    bench.open();
    try {
      CommandResult result = bench.enqueue256B();
      bench.enqueue256B();

      assertThat(result.getEnqueue().getCreated()).isTrue();
      assertThat(result.getEnqueue().getItem().getPayload().size()).isEqualTo(Workloads.PAYLOAD_BYTES);
    } finally {
      bench.close();
    }
  }

  @Test
  void claimAndCompleteCompletesAndRefillKeepsTheDepth() {
    ClaimCompleteBenchmark bench = new ClaimCompleteBenchmark();
    bench.pending = 20;
    bench.open();
    try {
      bench.refill();
      for (int i = 0; i < 5; i++) {
        assertThat(bench.claimAndComplete().getItem().getItem().getState()).isEqualTo(WorkState.WORK_STATE_COMPLETED);
      }
      bench.refill();
      CommandResult last = bench.claimAndComplete();

      assertThat(last.getItem().getItem().getState()).isEqualTo(WorkState.WORK_STATE_COMPLETED);
    } finally {
      bench.close();
    }
  }

  @Test
  void claimSelectionTakesTheHighestPriorityFirst() {
    ClaimSelectionBenchmark bench = new ClaimSelectionBenchmark();
    bench.pending = 300;
    bench.open();
    try {
      bench.refill();
      int first = bench.claimOneOfMany().getClaim().getItems(0).getPriority();
      int second = bench.claimOneOfMany().getClaim().getItems(0).getPriority();

      // 300 items of priorities 0-100: the top ones are taken first and in order.
      assertThat(first).isGreaterThanOrEqualTo(second).isGreaterThanOrEqualTo(95);
    } finally {
      bench.close();
    }
  }

  @Test
  void batchAndSingleEntriesEnqueueTheSameNumberOfItems() {
    BatchApplyBenchmark bench = new BatchApplyBenchmark();
    bench.commands = 4;
    bench.open();
    try {
      bench.singleEntries();
      CommandResult batch = bench.oneBatchEntry();

      assertThat(batch.getBatch().getResultsList()).hasSize(4).allSatisfy(r -> assertThat(r.getEnqueue().getCreated()).isTrue());
      assertThat(bench.pending()).isEqualTo(8);
    } finally {
      bench.close();
    }
  }

  @Test
  void codecRoundTripIsLossless() throws Exception {
    CommandCodecBenchmark bench = new CommandCodecBenchmark();
    bench.build();

    Command decoded = bench.encodeDecodeEnqueue();

    assertThat(decoded).isEqualTo(Workloads.enqueueCommand());
    assertThat(decoded.getEnqueue().getPayload().size()).isEqualTo(Workloads.PAYLOAD_BYTES);
  }
}
