package org.ringrift.cluster.bench.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kill -9 of the leader under steady writes, N times. Per kill: milliseconds from the kill to a
 * new leader, to that leader being ready, to its leader daemons running, and to the first
 * acknowledged client write; after all kills, the acknowledged writes a linearizable read no
 * longer finds (must be 0), and per kill the writes that ended with their outcome unknown and
 * those the final state holds twice (both the target of issue 17: 0).
 */
final class FailoverBench {
  private static final Logger LOG = LoggerFactory.getLogger(FailoverBench.class);
  private static final Duration LIMIT = Duration.ofSeconds(60);
  private static final long POLL_MILLIS = 5;
  /** Acknowledged keys remembered at most; writers stop when it is reached. */
  static final int MAX_TRACKED = 2_000_000;

  private final FailoverCluster cluster;
  private final int writers;
  private final Duration settle;

  FailoverBench(FailoverCluster cluster, int writers, Duration settle) {
    this.cluster = cluster;
    this.writers = writers;
    this.settle = settle;
  }

  /**
   * Times of one kill, in ms from the kill; -1 where not applicable. {@code outcomeUnknown}: the
   * writes that returned after this kill (and before the next) and failed without a definite
   * answer; {@code appliedTwice}: those of them the final state holds more than once.
   */
  record Kill(int killed, long oldTerm, long electedMs, long readyMs, long daemonsMs, long firstWriteMs,
      long outcomeUnknown, long appliedTwice) {
    Kill withWrites(long unknown, long twice) {
      return new Kill(killed, oldTerm, electedMs, readyMs, daemonsMs, firstWriteMs, unknown, twice);
    }
  }

  /** Totals include the writes that returned before the first kill. */
  record Result(String target, List<Kill> kills, long acknowledged, long lost, long writeFailures,
      long outcomeUnknown, long appliedTwice) {}

  Result run(int kills) throws Exception {
    List<Kill> results = new ArrayList<>();
    try (SteadyWrites writes = new SteadyWrites(cluster, writers, MAX_TRACKED, kills)) {
      for (int k = 0; k < kills; k++) {
        FailoverCluster.Leader leader = awaitSteady();
        Thread.sleep(settle.toMillis()); // steady load before the kill: part of the scenario, not a sync
        if (writes.limitReached()) {
          throw new IllegalStateException("writers stopped at " + MAX_TRACKED + " acknowledged writes");
        }
        Kill kill = killAndTime(leader, writes);
        LOG.info("failover target={} kill={} killed={} elected_ms={} ready_ms={} daemons_ms={} first_write_ms={}",
            cluster.name(), k + 1, kill.killed(), kill.electedMs(), kill.readyMs(), kill.daemonsMs(), kill.firstWriteMs());
        results.add(kill);
        if (k + 1 < kills) {
          cluster.restart(leader.member());
        }
      }
      // The last killed member stays down: the majority that survived must hold every write.
      Set<String> acknowledged = writes.stopAndGetAcknowledged();
      FailoverCluster.Audit audit = cluster.audit(acknowledged);
      long[] twice = new long[writes.windows()];
      for (FailoverCluster.WriteId id : audit.appliedTwice()) {
        twice[writes.windowOf(id.writer(), id.n())]++;
      }
      long unknown = 0;
      for (int w = 0; w < writes.windows(); w++) {
        unknown += writes.outcomeUnknown(w);
      }
      List<Kill> counted = new ArrayList<>();
      for (int k = 0; k < results.size(); k++) {
        counted.add(results.get(k).withWrites(writes.outcomeUnknown(k + 1), twice[k + 1]));
      }
      if (unknown > 0 || !audit.appliedTwice().isEmpty()) {
        LOG.info("failover target={} outcome_unknown={} applied_twice={} (before the first kill: {} and {})",
            cluster.name(), unknown, audit.appliedTwice().size(), writes.outcomeUnknown(0), twice[0]);
      }
      return new Result(cluster.name(), counted, acknowledged.size(), acknowledged.size() - audit.present().size(),
          writes.failures(), unknown, audit.appliedTwice().size());
    }
  }

  private FailoverCluster.Leader awaitSteady() throws InterruptedException {
    long deadline = System.nanoTime() + LIMIT.toNanos();
    while (System.nanoTime() < deadline) {
      FailoverCluster.Leader leader = cluster.awaitLeader();
      if (cluster.steady(leader.member(), leader.term())) {
        return leader;
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException(cluster.name() + " did not return to steady state within " + LIMIT.toSeconds() + " s");
  }

  private Kill killAndTime(FailoverCluster.Leader leader, SteadyWrites writes) throws InterruptedException {
    long killedAt = System.nanoTime();
    cluster.kill(leader.member());
    writes.mark();
    long elected = -1;
    long ready = -1;
    long daemons = -1;
    long deadline = killedAt + LIMIT.toNanos();
    Optional<Integer> next = Optional.empty();
    boolean hasDaemons = true;
    while (System.nanoTime() < deadline) {
      if (next.isEmpty()) {
        next = cluster.newLeader(leader.member(), leader.term());
        if (next.isPresent()) {
          elected = System.nanoTime();
        }
      }
      if (next.isPresent() && ready < 0 && cluster.ready(next.get(), leader.term())) {
        ready = System.nanoTime();
      }
      if (ready >= 0 && daemons < 0) {
        Optional<Boolean> running = cluster.leaderDaemonsRunning(next.get(), leader.term());
        hasDaemons = running.isPresent();
        if (running.orElse(true)) {
          daemons = System.nanoTime();
        }
      }
      if (daemons >= 0 && writes.firstAckAfterMark() != 0) {
        break;
      }
      Thread.sleep(POLL_MILLIS);
    }
    if (daemons < 0 || writes.firstAckAfterMark() == 0) {
      throw new IllegalStateException(cluster.name() + ": no complete failover within " + LIMIT.toSeconds()
          + " s of killing member " + leader.member() + " (elected=" + (elected >= 0) + " ready=" + (ready >= 0)
          + " daemons=" + (daemons >= 0) + " write=" + (writes.firstAckAfterMark() != 0) + ")");
    }
    return new Kill(leader.member(), leader.term(), ms(elected, killedAt), ms(ready, killedAt),
        hasDaemons ? ms(daemons, killedAt) : -1, ms(writes.firstAckAfterMark(), killedAt), 0, 0);
  }

  private static long ms(long at, long from) {
    return (at - from) / 1_000_000;
  }
}
