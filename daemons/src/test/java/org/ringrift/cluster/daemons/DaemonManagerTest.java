package org.ringrift.cluster.daemons;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DaemonManagerTest {
  private static final DaemonSpec.RestartPolicy FAST = new DaemonSpec.RestartPolicy(
      Duration.ofMillis(10), Duration.ofMillis(40), 3);

  final TestLeadership leadership = new TestLeadership();
  final ConcurrentLinkedQueue<String> ticks = new ConcurrentLinkedQueue<>();
  DaemonManager manager;

  @AfterEach
  void close() {
    if (manager != null) {
      manager.close();
    }
  }

  /** A daemon that records its ticks with the term it ran in. */
  private DaemonSpec recording(String name, DaemonSpec.Scope scope, String... dependsOn) {
    return new DaemonSpec(name, scope, List.of(dependsOn), FAST, () -> new Daemon() {
      @Override
      public void tick(DaemonContext context) {
        ticks.add(name + "@" + context.leaderTerm());
      }

      @Override
      public Duration interval() {
        return Duration.ofMillis(5);
      }
    });
  }

  private DaemonManager start(DaemonSpec... specs) {
    manager = new DaemonManager(List.of(specs), leadership, Clock.systemUTC(), System::nanoTime);
    manager.start();
    return manager;
  }

  private DaemonState state(String name) {
    return manager.status(name).orElseThrow().state();
  }

  @Test
  void leaderDaemonsWaitInStandbyAndRunOnlyWhileLeaderWithTheirTerm() {
    start(recording("heartbeat", DaemonSpec.Scope.EVERY_NODE), recording("job_reaper", DaemonSpec.Scope.LEADER));

    await().until(() -> state("heartbeat") == DaemonState.RUNNING);
    assertThat(state("job_reaper")).isEqualTo(DaemonState.STANDBY);
    assertThat(ticks).noneMatch(t -> t.startsWith("job_reaper"));

    leadership.become(7);
    await().until(() -> ticks.contains("job_reaper@7"));
    assertThat(manager.status("job_reaper").orElseThrow().leaderTerm()).isEqualTo(7);

    leadership.lose();
    assertThat(state("job_reaper")).isEqualTo(DaemonState.STANDBY);
    long reaperTicks = ticks.stream().filter(t -> t.startsWith("job_reaper")).count();
    await().until(() -> ticks.stream().filter(t -> t.startsWith("heartbeat")).count() > 20);
    // At most the tick that was already running when leadership went.
    assertThat(ticks.stream().filter(t -> t.startsWith("job_reaper")).count()).isLessThanOrEqualTo(reaperTicks + 1);

    leadership.become(9);
    await().until(() -> ticks.contains("job_reaper@9"));
  }

  @Test
  void crashingDaemonIsRestartedWithBackoffThenHeldFailedAtTheCap() {
    AtomicInteger instances = new AtomicInteger();
    DaemonSpec crashing = new DaemonSpec("retention", DaemonSpec.Scope.EVERY_NODE, List.of(), FAST, () -> {
      instances.incrementAndGet();
      return new Daemon() {
        @Override
        public void tick(DaemonContext context) {
          throw new IllegalStateException("disk on fire");
        }

        @Override
        public Duration interval() {
          return Duration.ofMillis(5);
        }
      };
    });
    start(crashing);

    await().until(() -> state("retention") == DaemonState.FAILED);
    DaemonStatus status = manager.status("retention").orElseThrow();
    assertThat(status.restarts()).isEqualTo(3);
    assertThat(instances.get()).isEqualTo(4); // the first start and three restarts, each a fresh instance
    assertThat(status.lastError()).contains("disk on fire");

    manager.restart("retention");
    await().until(() -> instances.get() > 4);
  }

  @Test
  void aClusterOutageSkipsTicksWithoutCountingCrashes() {
    AtomicInteger ticks = new AtomicInteger();
    AtomicInteger instances = new AtomicInteger();
    DaemonSpec heartbeat = new DaemonSpec("heartbeat", DaemonSpec.Scope.EVERY_NODE, List.of(), FAST, () -> {
      instances.incrementAndGet();
      return new Daemon() {
        @Override
        public void tick(DaemonContext context) throws Exception {
          // Unavailable for the first 20 ticks, far past the restart cap, then the cluster is back.
          if (ticks.incrementAndGet() <= 20) {
            throw new ClusterUnavailableException("no leader", null);
          }
        }

        @Override
        public Duration interval() {
          return Duration.ofMillis(5);
        }
      };
    });
    start(heartbeat);

    await().until(() -> ticks.get() > 20 && state("heartbeat") == DaemonState.RUNNING);
    DaemonStatus status = manager.status("heartbeat").orElseThrow();
    assertThat(status.restarts()).isZero();
    assertThat(instances.get()).as("the same instance kept ticking").isEqualTo(1);
  }

  @Test
  void dependenciesStartFirst() {
    start(recording("worker_agent", DaemonSpec.Scope.EVERY_NODE, "heartbeat"),
        recording("heartbeat", DaemonSpec.Scope.EVERY_NODE, "event_router"),
        recording("event_router", DaemonSpec.Scope.EVERY_NODE));

    await().until(() -> ticks.contains("worker_agent@0"));
    List<String> order = ticks.stream().distinct().toList();
    assertThat(order.indexOf("event_router@0")).isLessThan(order.indexOf("heartbeat@0"));
    assertThat(order.indexOf("heartbeat@0")).isLessThan(order.indexOf("worker_agent@0"));
  }

  @Test
  void aDependencyCycleIsAStartupErrorThatNamesTheCycle() {
    assertThatThrownBy(() -> new DaemonManager(List.of(recording("a_one", DaemonSpec.Scope.EVERY_NODE, "b_two"),
        recording("b_two", DaemonSpec.Scope.EVERY_NODE, "a_one")), leadership, Clock.systemUTC(), System::nanoTime))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a_one -> b_two -> a_one");
  }

  @Test
  void disabledClusterWideMeansStoppedEvenOnTheLeaderUntilEnabledAgain() {
    start(recording("job_reaper", DaemonSpec.Scope.LEADER));
    leadership.become(3);
    await().until(() -> state("job_reaper") == DaemonState.RUNNING);

    manager.applyDesired(Map.of("job_reaper", false));
    assertThat(state("job_reaper")).isEqualTo(DaemonState.STOPPED);
    leadership.become(4);
    assertThat(state("job_reaper")).isEqualTo(DaemonState.STOPPED);

    manager.applyDesired(Map.of("job_reaper", true));
    await().until(() -> ticks.contains("job_reaper@4"));
  }
}
