package org.ringrift.cluster.chaos;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Linearizability of single registers, checked per key with the Wing-Gong-Lowe search as
 * Porcupine implements it (entries list, lifting linearized calls, a cache of (set, state)).
 *
 * <p>Writes with an UNKNOWN outcome may have taken effect at any time after their invocation, or
 * never: they get a return time of infinity. FAILed operations (a definite rejection) and reads
 * without an answer are left out. A search that exceeds its step budget is reported as a failure
 * ("inconclusive"), never as a pass.
 */
final class RegisterChecker {
  private static final long MAX_STEPS = 5_000_000;

  private RegisterChecker() {}

  /** Problems found; empty when every register's history is linearizable. */
  static List<String> check(List<History.Op> ops, Map<String, String> initial) {
    Map<String, List<History.Op>> byKey = new TreeMap<>();
    for (History.Op op : ops) {
      boolean register = op.type().equals("write") || op.type().equals("read");
      if (!register || op.outcome() == History.Outcome.FAIL
          || (op.type().equals("read") && op.outcome() != History.Outcome.OK)) {
        continue;
      }
      byKey.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
    }
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, List<History.Op>> e : byKey.entrySet()) {
      String result = checkOne(e.getValue(), initial.get(e.getKey()));
      if (result != null) {
        problems.add("register " + e.getKey() + ": " + result);
      }
    }
    return problems;
  }

  private static final class Entry {
    final int op;
    final boolean call;
    final long time;
    Entry match;
    Entry prev;
    Entry next;

    Entry(int op, boolean call, long time) {
      this.op = op;
      this.call = call;
      this.time = time;
    }
  }

  /** Null when linearizable, else a description of the first stuck point. */
  static String checkOne(List<History.Op> ops, String initial) {
    int n = ops.size();
    List<Entry> events = new ArrayList<>(2 * n);
    for (int i = 0; i < n; i++) {
      History.Op op = ops.get(i);
      long ret = op.outcome() == History.Outcome.OK ? op.returnNanos() : Long.MAX_VALUE;
      Entry call = new Entry(i, true, op.invokeNanos());
      Entry back = new Entry(i, false, ret);
      call.match = back;
      events.add(call);
      events.add(back);
    }
    // Calls before returns at equal times: touching operations count as concurrent.
    events.sort(Comparator.comparingLong((Entry e) -> e.time).thenComparing(e -> !e.call));
    Entry head = new Entry(-1, false, Long.MIN_VALUE);
    Entry last = head;
    for (Entry e : events) {
      last.next = e;
      e.prev = last;
      last = e;
    }

    String state = initial;
    BitSet linearized = new BitSet(n);
    Set<Object> cache = new HashSet<>();
    Deque<Object[]> calls = new ArrayDeque<>();
    Entry entry = head.next;
    long steps = 0;
    int deepest = 0;
    Entry stuck = null;
    while (head.next != null) {
      if (++steps > MAX_STEPS) {
        return "inconclusive: search exceeded " + MAX_STEPS + " steps over " + n + " operations";
      }
      if (entry.call) {
        History.Op op = ops.get(entry.op);
        String next = step(state, op);
        if (next != null) {
          BitSet candidate = (BitSet) linearized.clone();
          candidate.set(entry.op);
          if (cache.add(List.of(candidate, next))) {
            calls.push(new Object[] {entry, state});
            state = next;
            linearized.set(entry.op);
            lift(entry);
            if (linearized.cardinality() > deepest) {
              deepest = linearized.cardinality();
            }
            entry = head.next;
            continue;
          }
        }
        entry = entry.next;
      } else {
        if (calls.isEmpty()) {
          return "not linearizable; no order explains operation " + describe(ops.get(entry.op))
              + (stuck == null ? "" : " (deepest search stopped at " + describe(ops.get(stuck.op)) + ")");
        }
        if (stuck == null || linearized.cardinality() >= deepest) {
          stuck = entry;
        }
        Object[] top = calls.pop();
        Entry undone = (Entry) top[0];
        state = (String) top[1];
        linearized.clear(undone.op);
        unlift(undone);
        entry = undone.next;
      }
    }
    return null;
  }

  private static String describe(History.Op op) {
    return "#" + op.id() + " " + op.process() + " " + op.type() + " " + op.value() + " " + op.outcome();
  }

  /** The register model: a write always succeeds; a read must see the current value. */
  private static String step(String state, History.Op op) {
    if (op.type().equals("write")) {
      return op.value();
    }
    return Objects.equals(state, op.value()) ? state : null;
  }

  private static void lift(Entry call) {
    call.prev.next = call.next;
    call.next.prev = call.prev;
    Entry ret = call.match;
    ret.prev.next = ret.next;
    if (ret.next != null) {
      ret.next.prev = ret.prev;
    }
  }

  private static void unlift(Entry call) {
    Entry ret = call.match;
    ret.prev.next = ret;
    if (ret.next != null) {
      ret.next.prev = ret;
    }
    call.prev.next = call;
    call.next.prev = call;
  }
}
