package org.ringrift.cluster.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** Context switches and CPU of a process from /proc, thread by thread. */
class ProcessSampleTest {
  private static final int PARKS = 300;

  @Test
  void switchesAreVoluntaryPlusNonvoluntaryOfAStatusFile() {
    String status = "Name:\tjava\nThreads:\t42\nvoluntary_ctxt_switches:\t1200\nnonvoluntary_ctxt_switches:\t34\n";

    assertThat(ProcessSample.switches(status)).isEqualTo(1234);
    assertThatThrownBy(() -> ProcessSample.switches("Name:\tjava\n")).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void usageComparesThreadByThreadAndCountsThreadsThatStartedOrEnded() {
    ProcessSample before = new ProcessSample(1_000_000_000L, Map.of(1L, 10L, 2L, 100L, 3L, 50L), Map.of(2L, 40L));
    ProcessSample after = new ProcessSample(1_250_000_000L, Map.of(1L, 12L, 2L, 160L, 4L, 7L), Map.of(2L, 42L, 4L, 1L));

    NodeUsage usage = after.since(before, "n1");

    assertThat(usage.cpuMs()).isEqualTo(250.0);
    assertThat(usage.contextSwitches()).isEqualTo(2 + 60 + 7);
    assertThat(usage.threadsStarted()).isEqualTo(1);
    assertThat(usage.threadsEnded()).isEqualTo(1);
    assertThat(usage.jitCpuNanos()).isEqualTo(3 * ClockTicks.NANOS_PER_TICK);
  }

  @Test
  void compilerThreadsAreFoundByNameAndTheirTicksReadPastANameWithSpaces() {
    String stat = "4242 (C2 CompilerThre) S 1 4200 4200 0 -1 4194624 9123 0 0 0 1187 76 0 0 20 0 1 0 5123 0 0";

    assertThat(ProcessSample.cpuTicks(stat)).isEqualTo(1187 + 76);
    assertThat(ProcessSample.isCompilerThread("Name:\tC2 CompilerThre\nState:\tS\n")).isTrue();
    assertThat(ProcessSample.isCompilerThread("Name:\tC1 CompilerThre\n")).isTrue();
    assertThat(ProcessSample.isCompilerThread("Name:\tgrpc-default-ex\n")).isFalse();
  }

  /**
   * A thread other than the main one parks and wakes many times between two samples of this JVM:
   * its switches must count (the process-level /proc/PID/status would show only the main thread's).
   */
  @Test
  void aLiveSampleCountsTheSwitchesOfEveryThread() throws Exception {
    CountDownLatch sampled = new CountDownLatch(1);
    CountDownLatch parked = new CountDownLatch(1);
    CountDownLatch done = new CountDownLatch(1);
    Thread sleeper = new Thread(() -> {
      try {
        sampled.await();
        for (int i = 0; i < PARKS; i++) {
          LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200));
        }
        parked.countDown();
        done.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "parker");
    sleeper.start();
    try {
      ProcessSample before = ProcessSample.read(ProcessHandle.current()).orElseThrow();
      sampled.countDown();
      assertThat(parked.await(30, TimeUnit.SECONDS)).isTrue();
      ProcessSample after = ProcessSample.read(ProcessHandle.current()).orElseThrow();

      NodeUsage usage = after.since(before, "self");

      assertThat(usage.contextSwitches()).isGreaterThanOrEqualTo(PARKS);
      assertThat(usage.cpuNanos()).isNotNegative();
      assertThat(before.switchesByThread()).hasSizeGreaterThan(1);
      assertThat(before.compilerTicksByThread()).as("this JVM's C1/C2 compiler threads").isNotEmpty();
    } finally {
      done.countDown();
      sleeper.join();
    }
  }
}
