package org.ringrift.cluster.chaos;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.ringrift.cluster.contract.errors.ErrorKind;
import org.ringrift.cluster.proto.QueueStats;
import org.ringrift.cluster.proto.WorkItem;
import org.ringrift.cluster.proto.WorkState;

/** The queue invariants (DESIGN.md §1.3, §1.4), checked on a history and the final queue. */
final class QueueChecker {
  private QueueChecker() {}

  /** A lease token ordered as the state machine issues them: by term, then sequence. */
  record Token(long term, long sequence) implements Comparable<Token> {
    static Token parse(String s) {
      int dot = s.indexOf('.');
      return new Token(Long.parseLong(s.substring(0, dot)), Long.parseLong(s.substring(dot + 1)));
    }

    @Override
    public int compareTo(Token o) {
      return Comparator.comparingLong(Token::term).thenComparingLong(Token::sequence).compare(this, o);
    }

    @Override
    public String toString() {
      return term + "." + sequence;
    }
  }

  /** One delivery (an acknowledged claim) as the history saw it. */
  private static final class Delivery {
    final Token token;
    final long claimedMs;
    long expiresMs;
    final String worker;

    Delivery(Token token, long claimedMs, long expiresMs, String worker) {
      this.token = token;
      this.claimedMs = claimedMs;
      this.expiresMs = expiresMs;
      this.worker = worker;
    }
  }

  static List<String> check(List<History.Op> ops, List<WorkItem> finalItems, QueueStats stats) {
    List<String> problems = new ArrayList<>();
    Map<String, WorkItem> items = new HashMap<>();
    for (WorkItem item : finalItems) {
      if (items.put(item.getId(), item) != null) {
        problems.add("item " + item.getId() + " is listed twice");
      }
      if (item.getState() == WorkState.WORK_STATE_UNSPECIFIED || item.getState() == WorkState.UNRECOGNIZED) {
        problems.add("item " + item.getId() + " has no state");
      }
    }

    // Every item ends in exactly one state, and the replicated counters agree with the list.
    Map<WorkState, Long> counts = new TreeMap<>();
    finalItems.forEach(i -> counts.merge(i.getState(), 1L, Long::sum));
    long[][] expected = {
        {counts.getOrDefault(WorkState.WORK_STATE_PENDING, 0L), stats.getPending()},
        {counts.getOrDefault(WorkState.WORK_STATE_CLAIMED, 0L), stats.getClaimed()},
        {counts.getOrDefault(WorkState.WORK_STATE_RUNNING, 0L), stats.getRunning()},
        {counts.getOrDefault(WorkState.WORK_STATE_COMPLETED, 0L), stats.getCompleted()},
        {counts.getOrDefault(WorkState.WORK_STATE_FAILED, 0L), stats.getFailed()},
        {counts.getOrDefault(WorkState.WORK_STATE_TIMEOUT, 0L), stats.getTimeout()},
        {counts.getOrDefault(WorkState.WORK_STATE_CANCELLED, 0L), stats.getCancelled()}};
    for (long[] pair : expected) {
      if (pair[0] != pair[1]) {
        problems.add("listed items by state " + counts + " disagree with queue stats " + stats.toString().replace('\n', ' '));
        break;
      }
    }

    // Enqueues: every acknowledged one exists, with its key; one item per key; created once.
    Map<String, Set<String>> idsByKey = new HashMap<>();
    Map<String, Integer> createdByKey = new HashMap<>();
    Set<String> keysInvoked = new HashSet<>();
    for (History.Op op : ops) {
      if (!op.type().equals("enqueue")) {
        continue;
      }
      keysInvoked.add(op.key());
      if (op.outcome() != History.Outcome.OK) {
        continue;
      }
      idsByKey.computeIfAbsent(op.key(), k -> new HashSet<>()).add(op.item());
      if (Boolean.TRUE.equals(op.extra().get("created"))) {
        createdByKey.merge(op.key(), 1, Integer::sum);
      }
      WorkItem item = items.get(op.item());
      if (item == null) {
        problems.add("acknowledged enqueue #" + op.id() + " key " + op.key() + " item " + op.item() + " is lost");
      } else if (!item.getIdempotencyKey().equals(op.key())) {
        problems.add("item " + op.item() + " has key " + item.getIdempotencyKey() + ", enqueued as " + op.key());
      }
    }
    idsByKey.forEach((key, ids) -> {
      if (ids.size() > 1) {
        problems.add("idempotency key " + key + " was answered with different items " + ids);
      }
    });
    createdByKey.forEach((key, created) -> {
      if (created > 1) {
        problems.add("idempotency key " + key + " reported created " + created + " times");
      }
    });
    Map<String, Integer> itemsPerKey = new HashMap<>();
    for (WorkItem item : finalItems) {
      if (ExactlyOnceChecker.tagOf(item) != null) {
        continue; // an unkeyed enqueue (its key is the client's "auto-" one): ExactlyOnceChecker counts those
      }
      if (!keysInvoked.contains(item.getIdempotencyKey())) {
        problems.add("item " + item.getId() + " with key '" + item.getIdempotencyKey() + "' was never enqueued");
      }
      itemsPerKey.merge(item.getIdempotencyKey(), 1, Integer::sum);
    }
    itemsPerKey.forEach((key, n) -> {
      if (n > 1) {
        problems.add("idempotency key " + key + " created " + n + " items");
      }
    });

    // Deliveries, leases and completions.
    Map<String, TreeMap<Token, Delivery>> deliveries = new HashMap<>();
    for (History.Op op : ops) {
      if (op.type().equals("claim") && op.outcome() == History.Outcome.OK && !op.item().isEmpty()) {
        Token token = Token.parse(op.token());
        Delivery previous = deliveries.computeIfAbsent(op.item(), k -> new TreeMap<>()).put(token,
            new Delivery(token, ((Number) op.extra().get("claimed_ms")).longValue(),
                ((Number) op.extra().get("lease_expires_ms")).longValue(), op.process()));
        if (previous != null) {
          problems.add("item " + op.item() + ": token " + token + " handed out twice");
        }
      }
    }
    for (History.Op op : ops) {
      if (op.type().equals("extend") && op.outcome() == History.Outcome.OK) {
        Delivery d = deliveries.getOrDefault(op.item(), new TreeMap<>()).get(Token.parse(op.token()));
        if (d != null) {
          d.expiresMs = Math.max(d.expiresMs, ((Number) op.extra().get("lease_expires_ms")).longValue());
        }
      }
    }
    long observedStale = 0;
    for (History.Op op : ops) {
      if (op.type().equals("complete") || op.type().equals("extend")) {
        if (op.outcome() == History.Outcome.FAIL && History.isKind(op, ErrorKind.STALE_TOKEN)) {
          observedStale++;
        }
      }
      if (!op.type().equals("complete") || op.outcome() != History.Outcome.OK) {
        continue;
      }
      Token token = Token.parse(op.token());
      TreeMap<Token, Delivery> ofItem = deliveries.getOrDefault(op.item(), new TreeMap<>());
      Token later = ofItem.higherKey(token);
      if (later != null) {
        problems.add("item " + op.item() + " completed under token " + token + " (#" + op.id() + ", zombie="
            + op.extra().get("zombie") + ") but delivered again under " + later);
      }
      WorkItem item = items.get(op.item());
      if (item != null && item.getState() != WorkState.WORK_STATE_COMPLETED) {
        problems.add("item " + op.item() + " acknowledged complete (#" + op.id() + ") but ends " + item.getState());
      }
    }
    for (Map.Entry<String, TreeMap<Token, Delivery>> e : deliveries.entrySet()) {
      Delivery previous = null;
      for (Delivery d : e.getValue().values()) {
        if (previous != null && d.claimedMs < previous.expiresMs) {
          problems.add("item " + e.getKey() + ": lease " + d.token + " (" + d.worker + ") granted at " + d.claimedMs
              + " while lease " + previous.token + " (" + previous.worker + ") ran until " + previous.expiresMs);
        }
        previous = d;
      }
      WorkItem item = items.get(e.getKey());
      int max = item == null ? Workloads.MAX_ATTEMPTS : item.getMaxAttempts();
      if (e.getValue().size() > max) {
        problems.add("item " + e.getKey() + " delivered " + e.getValue().size() + " times, max attempts " + max);
      }
    }
    for (WorkItem item : finalItems) {
      if (item.getAttempts() > item.getMaxAttempts()) {
        problems.add("item " + item.getId() + " has attempts " + item.getAttempts() + " > max " + item.getMaxAttempts());
      }
    }
    if (stats.getStaleTokenRejections() < observedStale) {
      problems.add("clients saw " + observedStale + " stale-token rejections, the queue counted "
          + stats.getStaleTokenRejections());
    }
    return problems;
  }
}
