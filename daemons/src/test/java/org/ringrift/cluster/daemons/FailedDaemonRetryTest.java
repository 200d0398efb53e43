package org.ringrift.cluster.daemons;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A daemon that hits its restart cap because of a cause outside it (here: a flag standing for a
 * closed Raft client) is FAILED, is tried again once per retry interval while the cause lasts,
 * and runs again on its own once the cause is gone.
 */
class FailedDaemonRetryTest {
  private static final Duration RETRY = Duration.ofMillis(50);
  private static final DaemonSpec.RestartPolicy POLICY = new DaemonSpec.RestartPolicy(
      Duration.ofMillis(5), Duration.ofMillis(20), 3, RETRY);
  /** Far above the retry interval: a loaded machine may be slow, but only the retry can bring it back. */
  private static final Duration PATIENCE = Duration.ofSeconds(10);

  final TestLeadership leadership = new TestLeadership();
  final AtomicBoolean causePresent = new AtomicBoolean(true);
  final AtomicInteger instances = new AtomicInteger();
  /** The state the manager showed for the daemon while each of its ticks ran. */
  final ConcurrentLinkedQueue<DaemonState> seenDuringTicks = new ConcurrentLinkedQueue<>();
  final ConcurrentLinkedQueue<String> dependentTicks = new ConcurrentLinkedQueue<>();
  DaemonManager manager;

  @AfterEach
  void close() {
    if (manager != null) {
      manager.close();
    }
  }

  /** Throws while the transient cause is present, like a heartbeat whose Raft client was closed. */
  private DaemonSpec fragile(String name, DaemonSpec.Scope scope) {
    return new DaemonSpec(name, scope, List.of(), POLICY, () -> {
      instances.incrementAndGet();
      return new Daemon() {
        @Override
        public void tick(DaemonContext context) {
          seenDuringTicks.add(manager.status(name).orElseThrow().state());
          if (causePresent.get()) {
            throw new IllegalStateException("raft client is closed");
          }
        }

        @Override
        public Duration interval() {
          return Duration.ofMillis(5);
        }
      };
    });
  }

  private DaemonSpec dependent(String name, String dependsOn) {
    return new DaemonSpec(name, DaemonSpec.Scope.EVERY_NODE, List.of(dependsOn), POLICY, () -> new Daemon() {
      @Override
      public void tick(DaemonContext context) {
        dependentTicks.add(name);
      }

      @Override
      public Duration interval() {
        return Duration.ofMillis(5);
      }
    });
  }

  private void start(DaemonSpec... specs) {
    manager = new DaemonManager(List.of(specs), leadership, Clock.systemUTC(), System::nanoTime);
    manager.start();
  }

  private DaemonStatus status(String name) {
    return manager.status(name).orElseThrow();
  }

  @Test
  void aFailedDaemonIsRetriedSlowlyAndRunsAgainOnceTheCauseIsGone() {
    start(fragile("heartbeat", DaemonSpec.Scope.EVERY_NODE), dependent("worker_agent", "heartbeat"));

    await().atMost(PATIENCE).until(() -> status("heartbeat").state() == DaemonState.FAILED);
    DaemonStatus failed = status("heartbeat");
    assertThat(failed.restarts()).isEqualTo(3);
    assertThat(failed.lastError()).contains("raft client is closed");

    // While capped: two more retries, each a fresh instance that crashes; the state stays FAILED
    // throughout (each retry's tick saw FAILED) and retries do not count as restarts.
    int atFailed = instances.get();
    await().atMost(PATIENCE).until(() -> instances.get() >= atFailed + 2);
    assertThat(status("heartbeat").state()).isEqualTo(DaemonState.FAILED);
    assertThat(status("heartbeat").restarts()).isEqualTo(3);
    assertThat(seenDuringTicks).contains(DaemonState.FAILED);
    assertThat(seenDuringTicks).doesNotContain(DaemonState.RUNNING);
    assertThat(dependentTicks).as("a daemon whose dependency never ran does not start").isEmpty();

    causePresent.set(false);
    await().atMost(PATIENCE).until(() -> status("heartbeat").state() == DaemonState.RUNNING);
    assertThat(status("heartbeat").restartsLastHour()).as("crash history cleared").isZero();
    assertThat(status("heartbeat").restarts()).isEqualTo(3);
    // It became RUNNING, so what depends on it starts now.
    await().atMost(PATIENCE).until(() -> dependentTicks.contains("worker_agent"));

    // A clean history means the next fault gets the full cap of fast restarts again, not FAILED at once.
    causePresent.set(true);
    await().atMost(PATIENCE).until(() -> status("heartbeat").state() == DaemonState.FAILED);
    assertThat(status("heartbeat").restarts()).isEqualTo(6);
  }

  @Test
  void anOperatorRestartStillBringsAFailedDaemonBackAtOnce() {
    DaemonSpec.RestartPolicy slowRetry = new DaemonSpec.RestartPolicy(Duration.ofMillis(5), Duration.ofMillis(20), 3,
        Duration.ofHours(1));
    AtomicInteger made = new AtomicInteger();
    start(new DaemonSpec("retention", DaemonSpec.Scope.EVERY_NODE, List.of(), slowRetry, () -> {
      made.incrementAndGet();
      return new Daemon() {
        @Override
        public void tick(DaemonContext context) {
          if (causePresent.get()) {
            throw new IllegalStateException("disk on fire");
          }
        }

        @Override
        public Duration interval() {
          return Duration.ofMillis(5);
        }
      };
    }));
    await().atMost(PATIENCE).until(() -> status("retention").state() == DaemonState.FAILED);
    assertThat(made.get()).as("no retry within the hour").isEqualTo(4);

    causePresent.set(false);
    manager.restart("retention");
    await().atMost(PATIENCE).until(() -> status("retention").state() == DaemonState.RUNNING);
    assertThat(status("retention").restartsLastHour()).isZero();
  }

  @Test
  void aFailedLeaderDaemonStandsByWhenLeadershipGoesAndFailsAtOnceIfItStillCrashesWhenItComesBack() {
    start(fragile("job_reaper", DaemonSpec.Scope.LEADER));
    leadership.become(4);
    await().atMost(PATIENCE).until(() -> status("job_reaper").state() == DaemonState.FAILED);

    leadership.lose();
    assertThat(status("job_reaper").state()).as("a follower does not run it, so it is not failing here")
        .isEqualTo(DaemonState.STANDBY);
    int beforeLeading = instances.get();

    leadership.become(5);
    // The crash history within the hour is kept: one more crash and it is FAILED, no new backoff round.
    await().atMost(PATIENCE).until(() -> status("job_reaper").state() == DaemonState.FAILED);
    assertThat(status("job_reaper").restarts()).isEqualTo(3);
    assertThat(status("job_reaper").leaderTerm()).isEqualTo(5);

    causePresent.set(false);
    await().atMost(PATIENCE).until(() -> status("job_reaper").state() == DaemonState.RUNNING);
    assertThat(instances.get()).isGreaterThan(beforeLeading + 1);
    assertThat(status("job_reaper").leaderTerm()).isEqualTo(5);
  }
}
