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

    /** How long the fault stays in place: by default around the scenario's mean (0.5x to 1.5x). */
    default long holdMs(Random random, long meanMs) {
      return meanMs / 2 + random.nextInt((int) meanMs);
    }
  }

  /** {@code fault} held between minMs and maxMs, whatever the scenario's mean. */
  static Fault held(Fault fault, long minMs, long maxMs) {
    if (minMs < 0 || maxMs < minMs) {
      throw new IllegalArgumentException("hold " + minMs + "-" + maxMs + " ms: need 0 <= min <= max");
    }
    return new Fault() {
      @Override
      public String name() {
        return fault.name();
      }

      @Override
      public String inject(ChaosCluster cluster, Random random) throws Exception {
        return fault.inject(cluster, random);
      }

      @Override
      public void heal(ChaosCluster cluster) throws Exception {
        fault.heal(cluster);
      }

      @Override
      public long holdMs(Random random, long meanMs) {
        return minMs + (maxMs == minMs ? 0 : random.nextLong(maxMs - minMs + 1));
      }
    };
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
    private final Target target;
    private int victim = -1;

    WipeRestart() {
      this(Target.FOLLOWER);
    }

    /** LEADER: a membership change that removes the leader itself from the configuration, under load. */
    WipeRestart(Target target) {
      this.target = target;
    }

    @Override
    public String name() {
      return target == Target.FOLLOWER ? "wipe-follower" : "remove-leader";
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
      victim = pick(cluster, target, random);
      String id = cluster.id(victim);
      if (target == Target.LEADER) {
        // Remove the running leader first: it must hand over (the new configuration commits
        // without it) and step down; then it loses its disk like any removed member.
        removeMember(cluster, id);
        int removed = victim;
        await().atMost(Duration.ofSeconds(30)).until(cluster::leader, l -> l.isPresent() && l.get() != removed);
        cluster.kill(victim);
        cluster.wipe(victim);
        return "remove leader " + id + " from the configuration, kill -9 it, wipe its data directory";
      }
      cluster.kill(victim);
      cluster.wipe(victim);
      removeMember(cluster, id);
      return "kill -9 " + cluster.id(victim) + ", wipe its data directory, remove it from the configuration";
    }

    private static void removeMember(ChaosCluster cluster, String id) {
      await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
        if (cluster.admin().members().stream().anyMatch(m -> m.getId().equals(id))) {
          cluster.admin().removeMember(id);
        }
        return true;
      });
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

  /**
   * Forces a snapshot install: a follower is cut off, and the others snapshot (purging their logs
   * behind the snapshot) until the leader's log starts past everything the follower has applied.
   * Healing reconnects it; it can only catch up from the leader's snapshot, and the fault fails
   * the run if it does not within 60 s. Needs small log segments (only closed segments are purged).
   */
  static final class SnapshotInstall implements Fault {
    private int victim = -1;
    private long victimApplied;
    private long leaderLogStart;

    @Override
    public String name() {
      return "snapshot-install";
    }

    @Override
    public String inject(ChaosCluster cluster, Random random) {
      victim = pick(cluster, Target.FOLLOWER, random);
      cluster.links().partition(java.util.Set.of(victim));
      victimApplied = cluster.statusOf(victim).orElseThrow().getAppliedIndex();
      int cut = victim;
      leaderLogStart = await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(500)).until(() -> {
        for (int i = 0; i < cluster.size(); i++) {
          if (i != cut) {
            try {
              cluster.admin().takeSnapshot(cluster.endpoint(i));
            } catch (RuntimeException e) {
              // a node busy or between leaders: the next round snapshots it
            }
          }
        }
        return cluster.leader().flatMap(cluster::statusOf).map(s -> s.getLogStartIndex()).orElse(0L);
      }, start -> start > victimApplied + 1);
      return "partition " + cluster.id(victim) + " (applied " + victimApplied + ") until the leader's log starts at "
          + leaderLogStart;
    }

    @Override
    public void heal(ChaosCluster cluster) {
      if (victim < 0) {
        return;
      }
      cluster.links().healAll();
      int healed = victim;
      victim = -1;
      try {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> cluster.statusOf(healed)
            .filter(s -> s.getAppliedIndex() >= leaderLogStart && s.getSnapshotIndex() > victimApplied).isPresent());
      } catch (org.awaitility.core.ConditionTimeoutException e) {
        throw new IllegalStateException(cluster.id(healed) + " did not catch up from a snapshot within 60 s: applied "
            + victimApplied + " before, leader's log started at " + leaderLogStart + ", now "
            + cluster.statusOf(healed).map(s -> "applied " + s.getAppliedIndex() + " snapshot " + s.getSnapshotIndex())
                .orElse("not answering"), e);
      }
    }
  }

  /** Leader transfer under load (rrctl members transfer): the leader hands over to a random follower. */
  static final class TransferLeader implements Fault {
    @Override
    public String name() {
      return "transfer-leader";
    }

    @Override
    public String inject(ChaosCluster cluster, Random random) {
      int from = leader(cluster);
      int to = pick(cluster, Target.FOLLOWER, random);
      try {
        org.ringrift.cluster.proto.TransferLeaderResult result = cluster.admin().transferLeader(cluster.id(to));
        return "transfer leadership " + cluster.id(from) + " -> " + cluster.id(to) + ": leader " + result.getLeaderId()
            + " term " + result.getTerm();
      } catch (RuntimeException e) {
        return "transfer leadership " + cluster.id(from) + " -> " + cluster.id(to) + " failed: " + e.getMessage();
      }
    }

    @Override
    public void heal(ChaosCluster cluster) {}
  }

  /** The leader's clock jumps by offsetMs (forward or back, +-50 %); healing sets it right. */
  static final class ClockJump implements Fault {
    private final long offsetMs;
    private int victim = -1;

    ClockJump(long offsetMs) {
      this.offsetMs = offsetMs;
    }

    @Override
    public String name() {
      return "clock-jump-" + (offsetMs > 0 ? "forward" : "back");
    }

    @Override
    public String inject(ChaosCluster cluster, Random random) throws Exception {
      victim = leader(cluster);
      long ms = offsetMs / 2 + (long) (random.nextDouble() * Math.abs(offsetMs)) * Long.signum(offsetMs);
      cluster.setClockOffset(victim, ms);
      return "clock of leader " + cluster.id(victim) + " jumps by " + ms + " ms";
    }

    @Override
    public void heal(ChaosCluster cluster) throws Exception {
      if (victim >= 0) {
        cluster.setClockOffset(victim, 0);
      }
      victim = -1;
    }
  }

  /** One-way loss: the leader's requests reach the followers but their answers never come back. */
  static final class CutReplies implements Fault {
    @Override
    public String name() {
      return "one-way-leader";
    }

    @Override
    public String inject(ChaosCluster cluster, Random random) {
      int leader = leader(cluster);
      cluster.links().cutRepliesTo(leader);
      return "links out of leader " + cluster.id(leader) + " lose every reply";
    }

    @Override
    public void heal(ChaosCluster cluster) {
      cluster.links().healAll();
    }
  }

  /** Lossy links: every Raft link loses a chunk now and then (percent), resetting the connection. */
  static final class Drop implements Fault {
    private final long percent;

    Drop(long percent) {
      this.percent = percent;
    }

    @Override
    public String name() {
      return "drop-" + percent + "pct";
    }

    @Override
    public String inject(ChaosCluster cluster, Random random) {
      cluster.links().dropAll(percent);
      return "every Raft link loses " + percent + " % of its chunks";
    }

    @Override
    public void heal(ChaosCluster cluster) {
      cluster.links().healAll();
    }
  }

  /** How a real, IP-level partition (network namespaces, blackhole routes) splits the cluster. */
  enum NetSplit { ISOLATE_LEADER, ISOLATE_FOLLOWER, BRIDGE }

  /**
   * A real network partition: blackhole routes inside the nodes' namespaces, so established
   * TCP and HTTP/2 connections stall as they would behind a dead link (nothing is reset on
   * heal). BRIDGE: one node still sees everyone, the others are split in two halves that do not
   * see each other. The test JVM's clients reach every node throughout.
   */
  static final class NetPartition implements Fault {
    private final NetSplit split;

    NetPartition(NetSplit split) {
      this.split = split;
    }

    @Override
    public String name() {
      return "netns-" + split.name().toLowerCase().replace('_', '-');
    }

    @Override
    public String inject(ChaosCluster cluster, Random random) throws Exception {
      int leader = leader(cluster);
      List<Integer> others = new ArrayList<>();
      for (int i = 0; i < cluster.size(); i++) {
        if (i != leader) {
          others.add(i);
        }
      }
      java.util.Collections.shuffle(others, random);
      NetNamespaces net = cluster.netns();
      switch (split) {
        case ISOLATE_LEADER -> net.partition(Set.of(leader));
        case ISOLATE_FOLLOWER -> net.partition(Set.of(others.get(0)));
        case BRIDGE -> {
          List<Integer> all = new ArrayList<>(others);
          all.add(leader);
          java.util.Collections.shuffle(all, random);
          int bridge = all.remove(0);
          List<Integer> left = all.subList(0, all.size() / 2);
          List<Integer> right = all.subList(all.size() / 2, all.size());
          for (int a : left) {
            for (int b : right) {
              net.cut(a, b);
            }
          }
          return "bridge " + cluster.id(bridge) + " sees all; " + ids(cluster, left) + " and " + ids(cluster, right)
              + " cut from each other (leader was " + cluster.id(leader) + ")";
        }
      }
      Set<Integer> side = split == NetSplit.ISOLATE_LEADER ? Set.of(leader) : Set.of(others.get(0));
      return "blackhole routes isolate " + ids(cluster, List.copyOf(side)) + " (leader was " + cluster.id(leader) + ")";
    }

    @Override
    public void heal(ChaosCluster cluster) throws Exception {
      cluster.netns().healAll();
    }
  }

  private static List<String> ids(ChaosCluster cluster, List<Integer> nodes) {
    return nodes.stream().sorted().map(cluster::id).toList();
  }

  /**
   * Shifting majorities: a minority is cut off, then another, then another, each switch putting
   * the new cuts in before taking the old ones out (the cluster is never whole in between); the
   * first minority holds the leader. The last one stays for the hold.
   */
  static final class ShiftingMajority implements Fault {
    private static final int STEPS = 3;

    @Override
    public String name() {
      return "netns-shifting-majority";
    }

    @Override
    public String inject(ChaosCluster cluster, Random random) throws Exception {
      int n = cluster.size();
      int minority = (n - 1) / 2;
      NetNamespaces net = cluster.netns();
      List<String> steps = new ArrayList<>();
      Set<Integer> previous = Set.of();
      for (int step = 0; step < STEPS; step++) {
        List<Integer> candidates = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          candidates.add(i);
        }
        java.util.Collections.shuffle(candidates, random);
        Set<Integer> side = new HashSet<>();
        if (step == 0) {
          side.add(leader(cluster));
        }
        for (int i : candidates) {
          if (side.size() < minority && !previous.contains(i)) {
            side.add(i);
          }
        }
        net.setCuts(net.cutsAround(side));
        previous = side;
        if (step < STEPS - 1) {
          long ms = 1_000 + random.nextInt(2_000);
          steps.add(ids(cluster, List.copyOf(side)) + " for " + ms + " ms");
          // Fault timing, not synchronisation: each minority is cut off for a while.
          ChaosRun.sleepMs(ms);
        } else {
          steps.add(ids(cluster, List.copyOf(side)) + " (held)");
        }
      }
      return "cut off in turn: " + String.join(", then ", steps);
    }

    @Override
    public void heal(ChaosCluster cluster) throws Exception {
      cluster.netns().healAll();
    }
  }

  /**
   * The leader is cut off, then frozen with SIGSTOP once the others have elected; healing
   * removes the routes and sends SIGCONT: it wakes up into a whole network, still believing it
   * leads, with connections that stalled mid-stream.
   */
  static final class PauseIsolated implements Fault {
    private int victim = -1;

    @Override
    public String name() {
      return "netns-pause-isolated-leader";
    }

    @Override
    public String inject(ChaosCluster cluster, Random random) throws Exception {
      victim = leader(cluster);
      long oldTerm = cluster.statusOf(victim).map(s -> s.getTerm()).orElse(0L);
      cluster.netns().partition(Set.of(victim));
      int cut = victim;
      String elected;
      try {
        int next = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
            .until(() -> newLeader(cluster, cut, oldTerm), Optional::isPresent).get();
        elected = cluster.id(next) + " elected";
      } catch (org.awaitility.core.ConditionTimeoutException e) {
        elected = "no new leader within 30 s";
      }
      cluster.pause(victim);
      return "blackhole routes isolate leader " + cluster.id(victim) + ", " + elected + ", SIGSTOP " + cluster.id(victim);
    }

    private static Optional<Integer> newLeader(ChaosCluster cluster, int old, long oldTerm) {
      for (int i = 0; i < cluster.size(); i++) {
        if (i != old && cluster.statusOf(i).filter(s -> s.getIsLeader() && s.getLeaderReady() && s.getTerm() > oldTerm)
            .isPresent()) {
          return Optional.of(i);
        }
      }
      return Optional.empty();
    }

    @Override
    public void heal(ChaosCluster cluster) throws Exception {
      cluster.netns().healAll();
      if (victim >= 0) {
        cluster.resume(victim);
      }
      victim = -1;
    }
  }

  /** kill -9 of a majority (the leader and enough followers); healing starts them all again. */
  static final class KillMajority implements Fault {
    private final List<Integer> victims = new ArrayList<>();

    @Override
    public String name() {
      return "kill-majority";
    }

    @Override
    public String inject(ChaosCluster cluster, Random random) throws Exception {
      int leader = leader(cluster);
      List<Integer> followers = new ArrayList<>();
      for (int i = 0; i < cluster.size(); i++) {
        if (i != leader && cluster.isRunning(i)) {
          followers.add(i);
        }
      }
      java.util.Collections.shuffle(followers, random);
      victims.clear();
      victims.add(leader);
      victims.addAll(followers.subList(0, cluster.size() / 2));
      for (int victim : victims) {
        cluster.kill(victim);
      }
      return "kill -9 " + ids(cluster, victims) + " (leader " + cluster.id(leader) + " and " + (victims.size() - 1)
          + " follower(s))";
    }

    @Override
    public void heal(ChaosCluster cluster) throws Exception {
      for (int victim : victims) {
        if (!cluster.isRunning(victim)) {
          cluster.start(victim);
        }
      }
      victims.clear();
    }
  }
}
