package org.ringrift.cluster.daemons;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.ringrift.cluster.daemons.DaemonCatalog.Need;
import org.ringrift.cluster.daemons.DaemonSpec.RestartPolicy;
import org.ringrift.cluster.daemons.DaemonSpec.Scope;
import org.ringrift.cluster.contract.names.DaemonNames;

class DaemonCatalogTest {
  private static final RestartPolicy RESTART = RestartPolicy.defaults();

  private static Map<String, Supplier<Daemon>> allFactories() {
    Map<String, Supplier<Daemon>> factories = new HashMap<>();
    DaemonCatalog.names().forEach(name -> factories.put(name, () -> new Daemon() {
      @Override
      public void tick(DaemonContext context) {}

      @Override
      public Duration interval() {
        return Duration.ofSeconds(1);
      }
    }));
    return factories;
  }

  private static List<String> names(Set<Need> available) {
    return DaemonCatalog.specs(available, allFactories(), RESTART).stream().map(DaemonSpec::name).toList();
  }

  @Test
  void theCatalogNamesExactlyTheDaemonsTheClusterAcceptsDesiredStateFor() {
    assertThat(DaemonCatalog.names()).containsExactlyInAnyOrderElementsOf(DaemonNames.ALL);
  }

  @Test
  void aWorkerOnlyNodeRunsOnlyTheHeartbeatAndTheWorkerAgent() {
    assertThat(names(Set.of())).containsExactly("heartbeat", "worker_agent");
    assertThat(names(Set.of(Need.QUEUE_POPULATION))).containsExactly("heartbeat", "worker_agent");
  }

  @Test
  void aMemberRunsTheLeaderDaemonsAndTheOptionalOnesOnlyWhenConfigured() {
    assertThat(names(Set.of(Need.RAFT_STATE))).containsExactly("event_router", "heartbeat", "job_reaper",
        "node_liveness", "retention", "worker_agent");
    assertThat(names(Set.of(Need.RAFT_STATE, Need.DATA_SYNC, Need.QUEUE_POPULATION))).containsExactly(
        "event_router", "heartbeat", "job_reaper", "node_liveness", "retention", "worker_agent", "queue_populator",
        "sync_planner", "sync_executor");
  }

  @Test
  void scopesAndDependenciesComeFromTheCatalog() {
    Map<String, DaemonSpec> specs = new HashMap<>();
    DaemonCatalog.specs(Set.of(Need.values()), allFactories(), RESTART).forEach(s -> specs.put(s.name(), s));
    assertThat(specs.get("job_reaper").scope()).isEqualTo(Scope.LEADER);
    assertThat(specs.get("sync_executor").scope()).isEqualTo(Scope.EVERY_NODE);
    assertThat(specs.get("worker_agent").dependsOn()).containsExactly("heartbeat");
    assertThat(specs.get("sync_executor").dependsOn()).containsExactly("heartbeat");
    assertThat(specs.values()).allSatisfy(s -> assertThat(s.restart()).isEqualTo(RESTART));
  }

  @Test
  void aDaemonThatShouldRunButHasNoFactoryIsAStartupError() {
    Map<String, Supplier<Daemon>> factories = allFactories();
    factories.remove("retention");
    assertThatThrownBy(() -> DaemonCatalog.specs(Set.of(Need.RAFT_STATE), factories, RESTART))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retention");
  }

  @Test
  void aLeaderDaemonMustNeedRaftState() {
    assertThatThrownBy(() -> new DaemonCatalog.Entry("x_leader", Scope.LEADER, List.of(), Set.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RAFT_STATE");
  }
}
