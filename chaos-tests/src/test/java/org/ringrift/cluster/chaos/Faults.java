package org.ringrift.cluster.chaos;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/** The fault classes. Each injects one fault and heals it; a schedule composes them. */
final class Faults {
  private Faults() {}

  /** One fault: {@link #inject} returns what it did (for the history); {@link #heal} undoes it. */
  interface Fault {
    String name();

    String inject(ChaosCluster cluster, Random random) throws Exception;

    void heal(ChaosCluster cluster) throws Exception;
  }

  enum Target { LEADER, FOLLOWER }

  static int leader(ChaosCluster cluster) {
    return await().atMost(Duration.ofSeconds(30)).until(cluster::leader, Optional::isPresent).get();
  }

  static int pick(ChaosCluster cluster, Target target, Random random) {
    int leader = leader(cluster);
    if (target == Target.LEADER) {
      return leader;
    }
    List<Integer> followers = new ArrayList<>();
    for (int i = 0; i < cluster.size(); i++) {
      if (i != leader && cluster.isRunning(i)) {
        followers.add(i);
      }
    }
    return followers.get(random.nextInt(followers.size()));
  }

  /** kill -9 of the leader or a follower; healing restarts it on its data directory. */
  static final class Kill implements Fault {
    private final Target target;
    private int victim = -1;

    Kill(Target target) {
      this.target = target;
    }

    @Override
    public String name() {
      return "kill-" + target.name().toLowerCase();
    }

    @Override
    public String inject(ChaosCluster cluster, Random random) throws Exception {
      victim = pick(cluster, target, random);
      cluster.kill(victim);
      return "kill -9 " + cluster.id(victim) + " (" + target + ")";
    }

    @Override
    public void heal(ChaosCluster cluster) throws Exception {
      if (victim >= 0 && !cluster.isRunning(victim)) {
        cluster.start(victim);
      }
      victim = -1;
    }
  }

  /** SIGSTOP of the leader or a follower; healing sends SIGCONT (the old leader wakes up). */
  static final class Pause implements Fault {
    private final Target target;
    private int victim = -1;

    Pause(Target target) {
      this.target = target;
    }

    @Override
    public String name() {
      return "pause-" + target.name().toLowerCase();
    }

    @Override
    public String inject(ChaosCluster cluster, Random random) {
      victim = pick(cluster, target, random);
      cluster.pause(victim);
      return "SIGSTOP " + cluster.id(victim) + " (" + target + ")";
    }

    @Override
    public void heal(ChaosCluster cluster) {
      if (victim >= 0) {
        cluster.resume(victim);
      }
      victim = -1;
    }
  }

  /** How a partition splits the cluster. */
  enum Split { ISOLATE_LEADER, ISOLATE_FOLLOWER, MINORITY_WITH_LEADER, MAJORITY_WITH_LEADER }

  /** A network partition on the Raft links (both directions); healing reconnects every link. */
  static final class Partition implements Fault {
    private final Split split;

    Partition(Split split) {
      this.split = split;
    }

    @Override
    public String name() {
      return "partition-" + split.name().toLowerCase().replace('_', '-');
    }

    @Override
    public String inject(ChaosCluster cluster, Random random) {
      int leader = leader(cluster);
      int n = cluster.size();
      int minority = (n - 1) / 2;
      Set<Integer> side = new HashSet<>();
      List<Integer> others = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        if (i != leader) {
          others.add(i);
        }
      }
      java.util.Collections.shuffle(others, random);
      switch (split) {
        case ISOLATE_LEADER -> side.add(leader);
        case ISOLATE_FOLLOWER -> side.add(others.get(0));
        case MINORITY_WITH_LEADER -> {
          side.add(leader);
          side.addAll(others.subList(0, minority - 1));
        }
        case MAJORITY_WITH_LEADER -> side.addAll(others.subList(0, minority));
      }
      cluster.links().partition(side);
      List<String> ids = side.stream().sorted().map(cluster::id).toList();
      return "partition " + ids + " | rest (leader was " + cluster.id(leader) + ")";
    }

    @Override
    public void heal(ChaosCluster cluster) {
      cluster.links().healAll();
    }
  }

  /** Every Raft link holds each chunk for a while (a slow network); healing restores speed. */
  static final class Delay implements Fault {
    private final long delayMs;

    Delay(long delayMs) {
      this.delayMs = delayMs;
    }

    @Override
    public String name() {
      return "delay-" + delayMs + "ms";
    }

    @Override
    public String inject(ChaosCluster cluster, Random random) {
      long ms = delayMs / 2 + random.nextLong(delayMs);
      cluster.links().delayAll(ms);
      return "delay every Raft link by " + ms + " ms";
    }

    @Override
    public void heal(ChaosCluster cluster) {
      cluster.links().healAll();
    }
  }

  /**
   * A follower is killed, its data directory deleted and the node started again empty: it must
   * catch up from the leader (log or snapshot) and never lose the others' data.
   */
  static final class WipeRestart implements Fault {
    private int victim = -1;

    @Override
    public String name() {
      return "wipe-follower";
    }

    /**
     * A node that lost its disk must not vote as the member it was: with an empty log it would
     * grant its vote to any candidate, and a stale candidate plus this node is a majority that
     * can lose committed entries (seen here: two wipes in a row lost every acknowledged enqueue).
     * So this fault follows the documented recovery: remove the member, wipe, start it with
     * --join, add it back; the leader catches it up before it counts in the configuration.
     */
    @Override
    public String inject(ChaosCluster cluster, Random random) throws Exception {
      victim = pick(cluster, Target.FOLLOWER, random);
      cluster.kill(victim);
      cluster.wipe(victim);
      String id = cluster.id(victim);
      await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
        if (cluster.admin().members().stream().anyMatch(m -> m.getId().equals(id))) {
          cluster.admin().removeMember(id);
        }
        return true;
      });
      return "kill -9 " + cluster.id(victim) + ", wipe its data directory, remove it from the configuration";
    }

    @Override
    public void heal(ChaosCluster cluster) throws Exception {
      if (victim >= 0 && !cluster.isRunning(victim)) {
        cluster.start(victim, true);
        int rejoining = victim;
        String id = cluster.id(rejoining);
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
          if (cluster.admin().members().stream().noneMatch(m -> m.getId().equals(id))) {
            cluster.admin().addMember(id, cluster.raftAddress(rejoining), false);
          }
          return true;
        });
      }
      victim = -1;
    }
  }
}
