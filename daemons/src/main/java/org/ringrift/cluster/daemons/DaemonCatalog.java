package org.ringrift.cluster.daemons;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.ringrift.cluster.contract.names.DaemonNames;
import org.ringrift.cluster.daemons.DaemonSpec.RestartPolicy;
import org.ringrift.cluster.daemons.DaemonSpec.Scope;

/**
 * Every daemon a node can run, as data: its name, where it runs (on the ready leader only, or on
 * every node), what it waits for, and what the node must have for it to run here at all. The
 * node supplies one factory per daemon it runs; what runs, in what order, is decided here.
 */
public final class DaemonCatalog {
  /** What a node must have for a daemon to be registered on it. */
  public enum Need {
    /** A copy of the replicated state: Raft members, not worker-only nodes. Every leader daemon has it. */
    RAFT_STATE,
    /** This node syncs datasets (--sync-dataset). */
    DATA_SYNC,
    /** The leader fills the queue with synthetic work (the populate setting). */
    QUEUE_POPULATION
  }

  /** One daemon. A leader daemon needs {@link Need#RAFT_STATE}: a node without it never leads. */
  public record Entry(String name, Scope scope, List<String> dependsOn, Set<Need> needs) {
    public Entry {
      dependsOn = List.copyOf(dependsOn);
      needs = Set.copyOf(needs);
      if (scope == Scope.LEADER && !needs.contains(Need.RAFT_STATE)) {
        throw new IllegalArgumentException("leader daemon " + name + " must need RAFT_STATE");
      }
    }

    boolean runsWith(Set<Need> available) {
      return available.containsAll(needs);
    }
  }

  /** In registration order, which is also the order {@code rrctl daemons list} shows on each node. */
  public static final List<Entry> ENTRIES = List.of(
      new Entry(DaemonNames.EVENT_ROUTER, Scope.EVERY_NODE, List.of(), Set.of(Need.RAFT_STATE)),
      new Entry(DaemonNames.HEARTBEAT, Scope.EVERY_NODE, List.of(), Set.of()),
      new Entry(DaemonNames.JOB_REAPER, Scope.LEADER, List.of(), Set.of(Need.RAFT_STATE)),
      new Entry(DaemonNames.NODE_LIVENESS, Scope.LEADER, List.of(), Set.of(Need.RAFT_STATE)),
      new Entry(DaemonNames.RETENTION, Scope.LEADER, List.of(), Set.of(Need.RAFT_STATE)),
      new Entry(DaemonNames.WORKER_AGENT, Scope.EVERY_NODE, List.of(DaemonNames.HEARTBEAT), Set.of()),
      new Entry(DaemonNames.QUEUE_POPULATOR, Scope.LEADER, List.of(),
          Set.of(Need.RAFT_STATE, Need.QUEUE_POPULATION)),
      new Entry(DaemonNames.SYNC_PLANNER, Scope.LEADER, List.of(), Set.of(Need.RAFT_STATE, Need.DATA_SYNC)),
      new Entry(DaemonNames.SYNC_EXECUTOR, Scope.EVERY_NODE, List.of(DaemonNames.HEARTBEAT),
          Set.of(Need.DATA_SYNC)));

  private DaemonCatalog() {}

  /** Every daemon name, in catalog order. */
  public static List<String> names() {
    return ENTRIES.stream().map(Entry::name).toList();
  }

  /**
   * The specs of the daemons a node with {@code available} runs, in catalog order. Each of them
   * needs a factory in {@code factories}; a missing one is a wiring error, found at startup.
   */
  public static List<DaemonSpec> specs(Set<Need> available, Map<String, Supplier<Daemon>> factories,
      RestartPolicy restart) {
    List<DaemonSpec> specs = new ArrayList<>();
    for (Entry entry : ENTRIES) {
      if (!entry.runsWith(available)) {
        continue;
      }
      Supplier<Daemon> factory = factories.get(entry.name());
      if (factory == null) {
        throw new IllegalArgumentException("daemon " + entry.name() + " runs on this node but has no factory");
      }
      specs.add(new DaemonSpec(entry.name(), entry.scope(), entry.dependsOn(), restart, factory));
    }
    return specs;
  }
}
