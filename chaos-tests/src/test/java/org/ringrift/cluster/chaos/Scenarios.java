package org.ringrift.cluster.chaos;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.ringrift.cluster.chaos.Faults.Delay;
import org.ringrift.cluster.chaos.Faults.Fault;
import org.ringrift.cluster.chaos.Faults.Kill;
import org.ringrift.cluster.chaos.Faults.Partition;
import org.ringrift.cluster.chaos.Faults.Pause;
import org.ringrift.cluster.chaos.Faults.Split;
import org.ringrift.cluster.chaos.Faults.Target;
import org.ringrift.cluster.chaos.Faults.WipeRestart;

/** Named fault schedules. The nemesis applies a scenario's faults in turn until the run ends. */
final class Scenarios {
  private Scenarios() {}

  /** A fault schedule; {@code holdMs} is the mean time a fault stays in place. */
  interface Scenario {
    List<Fault> faults();

    default long holdMs() {
      return 2_500;
    }

    default ChaosCluster.Options options(int nodes) {
      return ChaosCluster.Options.of(nodes);
    }

    default void afterHeal(ChaosCluster cluster, History history, List<String> schedule) {}
  }

  private static Scenario of(Fault... faults) {
    return () -> List.of(faults);
  }

  private static final Map<String, java.util.function.Supplier<Scenario>> ALL = new TreeMap<>();

  static {
    ALL.put("kill", () -> of(new Kill(Target.LEADER), new Kill(Target.FOLLOWER)));
    ALL.put("pause", () -> of(new Pause(Target.LEADER), new Pause(Target.FOLLOWER)));
    ALL.put("kill-pause", () -> of(new Kill(Target.LEADER), new Pause(Target.LEADER), new Kill(Target.FOLLOWER),
        new Pause(Target.FOLLOWER)));
    ALL.put("partition", () -> of(new Partition(Split.ISOLATE_LEADER), new Partition(Split.ISOLATE_FOLLOWER),
        new Partition(Split.MAJORITY_WITH_LEADER)));
    ALL.put("partition-5", () -> of(new Partition(Split.MINORITY_WITH_LEADER), new Partition(Split.MAJORITY_WITH_LEADER),
        new Partition(Split.ISOLATE_LEADER)));
    ALL.put("delay-wipe", () -> of(new Delay(150), new WipeRestart()));
    ALL.put("mixed", () -> of(new Kill(Target.LEADER), new Partition(Split.ISOLATE_LEADER), new Pause(Target.LEADER),
        new Delay(150), new WipeRestart(), new Kill(Target.FOLLOWER), new Partition(Split.ISOLATE_FOLLOWER),
        new Pause(Target.FOLLOWER)));
  }

  static Scenario byName(String name) {
    java.util.function.Supplier<Scenario> s = ALL.get(name);
    if (s == null) {
      throw new IllegalArgumentException("unknown chaos scenario '" + name + "'; one of " + ALL.keySet());
    }
    return s.get();
  }

  static java.util.Set<String> names() {
    return ALL.keySet();
  }
}
