package org.ringrift.cluster.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ringrift.cluster.client.ClusterClient;
import org.ringrift.cluster.contract.Endpoint;
import org.ringrift.cluster.proto.Event;
import org.ringrift.cluster.proto.RecentEventsRequest;

/**
 * "No fenced daemon command was ever applied" (invariant 2), checked directly: every event a
 * leader-daemon command emits (lease expiry, retry, dead letter, node health, leader record)
 * carries the term the command was proposed in beside the term of the log entry that applied it;
 * they must be equal. A stale leader's command that got applied shows as an event whose terms
 * differ. The replicated event log is bounded, so a watcher polls it through the run (every
 * 300 ms, far faster than events.max_history events can be written) and notes any gap.
 */
final class FencedCommandChecker {
  private static final int PAGE = 1000;
  /** Distinct CONFIG_CHANGED messages counted at most (a run writes far fewer: its op limit bounds them). */
  static final int MAX_CONFIG_CHANGES = 1_000_000;
  private static final String CONFIG_CHANGED = "CONFIG_CHANGED";

  private final List<String> problems = new ArrayList<>();
  /** CONFIG_CHANGED events by message ("key = value"): the exactly-once checker counts applied writes here. */
  private final Map<String, Integer> configChanges = new HashMap<>();
  private boolean gap;
  private long lastSeq;
  private long checked;
  private long fenced;

  /** Problems in one batch of events (pure: used by the watcher and by CheckersTest). */
  static List<String> check(List<Event> events) {
    List<String> problems = new ArrayList<>();
    for (Event e : events) {
      if (e.getProposedTerm() != 0 && e.getProposedTerm() != e.getTerm()) {
        problems.add("fenced command applied: event seq=" + e.getSeq() + " " + e.getType() + " subject=" + e.getSubject()
            + " was proposed in term " + e.getProposedTerm() + " but applied in term " + e.getTerm() + " at index "
            + e.getLogIndex() + " (" + e.getMessage() + ")");
      }
    }
    return problems;
  }

  /** Reads the events after the last one seen; returns false if the cluster did not answer. */
  synchronized boolean poll(ClusterClient client) {
    List<Event> events;
    try {
      events = client.recentEvents(RecentEventsRequest.newBuilder().setAfterSeq(lastSeq).setLimit(PAGE).build());
    } catch (RuntimeException e) {
      return false;
    }
    if (!events.isEmpty() && lastSeq > 0 && events.get(0).getSeq() > lastSeq + 1) {
      gap = true;
      problems.add("events " + (lastSeq + 1) + ".." + (events.get(0).getSeq() - 1)
          + " were trimmed before the fenced-command checker saw them");
    }
    for (Event e : events) {
      if (e.getProposedTerm() != 0) {
        checked++;
      }
      if (e.getType().equals(CONFIG_CHANGED)) {
        if (configChanges.size() < MAX_CONFIG_CHANGES || configChanges.containsKey(e.getMessage())) {
          configChanges.merge(e.getMessage(), 1, Integer::sum);
        } else if (!gap) {
          gap = true;
          problems.add("more than " + MAX_CONFIG_CHANGES + " distinct config changes: stopped counting them");
        }
      }
    }
    List<String> found = check(events);
    fenced += found.size();
    problems.addAll(found);
    if (!events.isEmpty()) {
      lastSeq = events.get(events.size() - 1).getSeq();
    }
    return true;
  }

  /** Reads until caught up with the log (at most 100 pages). */
  void drain(ClusterClient client) {
    long before;
    int pages = 0;
    do {
      before = lastSeq();
      poll(client);
    } while (lastSeq() != before && ++pages < 100);
  }

  synchronized long lastSeq() {
    return lastSeq;
  }

  /** Leader-daemon events seen (each was checked). */
  synchronized long checked() {
    return checked;
  }

  synchronized List<String> problems() {
    return List.copyOf(problems);
  }

  /** CONFIG_CHANGED events seen, by message. */
  synchronized Map<String, Integer> configChanges() {
    return Map.copyOf(configChanges);
  }

  /** Whether every event since the first was seen (no trimmed gap, nothing left uncounted). */
  synchronized boolean complete() {
    return !gap;
  }

  /** Polls in a daemon thread until stopped. */
  static final class Watcher {
    private final FencedCommandChecker checker = new FencedCommandChecker();
    private final List<Endpoint> endpoints;
    private volatile boolean stop;
    private Thread thread;

    Watcher(List<Endpoint> endpoints) {
      this.endpoints = endpoints;
    }

    FencedCommandChecker checker() {
      return checker;
    }

    void start() {
      thread = new Thread(() -> {
        try (ClusterClient client = new ClusterClient(endpoints, Duration.ofSeconds(2))) {
          while (!stop) {
            checker.drain(client);
            ChaosRun.sleepMs(300);
          }
        }
      }, "fenced-command-watcher");
      thread.setDaemon(true);
      thread.start();
    }

    /** Stops polling and reads what is left. */
    void stop(ClusterClient client) throws InterruptedException {
      stop = true;
      thread.join(10_000);
      checker.drain(client);
    }
  }
}
