package org.ringrift.cluster.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ringrift.cluster.proto.WorkItem;

/**
 * Exactly-once writes (issue 17), counted from the final replicated state rather than from the
 * replies: a write the client saw acknowledged must have been applied once, one whose outcome
 * it does not know at most once, a rejected one never; no write twice. And a write that returned
 * before its deadline must not have returned "outcome unknown": with client sessions the client
 * resends until it has an answer or the deadline passes.
 *
 * <ul>
 *   <li>unkeyed enqueues ({@code enqueue-unkeyed}, payload unique per write): items per payload in
 *       the final listing;
 *   <li>register writes ({@code write}, value unique per key): CONFIG_CHANGED events per
 *       {@code key = value} in the replicated event log, as the event watcher read it through the
 *       run (a write applied twice leaves two events);
 *   <li>claims: the final items' attempt counters are the claims applied; every one must be a
 *       delivery a client saw acknowledged, or be covered by a claim whose outcome is unknown; an
 *       item's current lease is held by the worker that claimed it.
 * </ul>
 */
final class ExactlyOnceChecker {
  /** Op types that change the replicated state; their UNKNOWN outcomes count against the deadline check. */
  static final Set<String> WRITES = Set.of("write", "enqueue", "enqueue-unkeyed", "claim", "extend", "complete");
  /** Payload of an unkeyed enqueue: the op's key inside, so the final listing maps items back to writes. */
  static final String PAYLOAD_PREFIX = "{\"once\":\"";
  /** Examples named per problem at most; the counts carry the rest. */
  private static final int EXAMPLES = 5;

  private ExactlyOnceChecker() {}

  static String payload(String tag) {
    return PAYLOAD_PREFIX + tag + "\"}";
  }

  /** The write's tag of an unkeyed enqueue's item, or null for any other item. */
  static String tagOf(WorkItem item) {
    String payload = item.getPayload().toStringUtf8();
    if (!payload.startsWith(PAYLOAD_PREFIX) || !payload.endsWith("\"}")) {
      return null;
    }
    return payload.substring(PAYLOAD_PREFIX.length(), payload.length() - 2);
  }

  /** The message of the CONFIG_CHANGED event one applied write of {@code value} to {@code key} emits. */
  static String configChange(String key, String value) {
    return key + " = " + value;
  }

  /** What was checked and found; {@code counts} go into the run's summary. */
  record Report(List<String> problems, Map<String, Integer> counts) {}

  /**
   * @param configChanges CONFIG_CHANGED events seen, by message ({@code key = value}), or null if
   *     the run did not collect them
   * @param eventsComplete whether the watcher saw every event (no trimmed gap): only then is a
   *     missing event a lost write
   * @param deadline the clients' deadline per call
   */
  static Report check(List<History.Op> ops, List<WorkItem> finalItems, Map<String, Integer> configChanges,
      boolean eventsComplete, Duration deadline) {
    List<String> problems = new ArrayList<>();
    Map<String, Integer> counts = new LinkedHashMap<>();
    checkEnqueues(ops, finalItems, problems, counts);
    if (configChanges != null) {
      checkRegisterWrites(ops, configChanges, eventsComplete, problems, counts);
    }
    checkClaims(ops, finalItems, problems, counts);
    checkDeadlines(ops, deadline, problems, counts);
    return new Report(problems, counts);
  }

  private static void checkEnqueues(List<History.Op> ops, List<WorkItem> finalItems, List<String> problems,
      Map<String, Integer> counts) {
    Map<String, List<String>> itemsByTag = new HashMap<>();
    for (WorkItem item : finalItems) {
      String tag = tagOf(item);
      if (tag != null) {
        itemsByTag.computeIfAbsent(tag, t -> new ArrayList<>()).add(item.getId());
      }
    }
    Map<String, History.Op> byTag = new HashMap<>();
    List<String> lost = new ArrayList<>();
    List<String> twice = new ArrayList<>();
    List<String> rejectedButApplied = new ArrayList<>();
    int acknowledged = 0;
    for (History.Op op : ops) {
      if (!op.type().equals("enqueue-unkeyed")) {
        continue;
      }
      byTag.put(op.key(), op);
      List<String> items = itemsByTag.getOrDefault(op.key(), List.of());
      switch (op.outcome()) {
        case OK -> {
          acknowledged++;
          if (items.isEmpty()) {
            lost.add("#" + op.id() + " " + op.key() + " (acknowledged as " + op.item() + ")");
          }
        }
        case FAIL -> {
          if (!items.isEmpty()) {
            rejectedButApplied.add("#" + op.id() + " " + op.key() + " -> " + items + " (" + op.error() + ")");
          }
        }
        case UNKNOWN -> { }
      }
      if (items.size() > 1) {
        twice.add("#" + op.id() + " " + op.key() + " (" + op.outcome() + ") -> " + items);
      }
    }
    List<String> stray = new ArrayList<>();
    itemsByTag.forEach((tag, items) -> {
      if (!byTag.containsKey(tag)) {
        stray.add(tag + " -> " + items);
      }
    });
    report(problems, lost, "acknowledged unkeyed enqueue(s) have no item in the final state");
    report(problems, twice, "unkeyed enqueue(s) applied more than once (items with the same payload)");
    report(problems, rejectedButApplied, "rejected unkeyed enqueue(s) have an item in the final state");
    report(problems, stray, "item(s) with an unkeyed-enqueue payload that no client sent");
    counts.put("once_enqueues_acked", acknowledged);
    counts.put("once_enqueues_applied_twice", twice.size());
  }

  private static void checkRegisterWrites(List<History.Op> ops, Map<String, Integer> configChanges,
      boolean eventsComplete, List<String> problems, Map<String, Integer> counts) {
    List<String> lost = new ArrayList<>();
    List<String> twice = new ArrayList<>();
    List<String> rejectedButApplied = new ArrayList<>();
    int acknowledged = 0;
    for (History.Op op : ops) {
      if (!op.type().equals("write")) {
        continue;
      }
      int applied = configChanges.getOrDefault(configChange(op.key(), op.value()), 0);
      if (applied > 1) {
        twice.add("#" + op.id() + " " + op.process() + " " + op.key() + " := " + op.value() + " (" + op.outcome()
            + "): " + applied + " CONFIG_CHANGED events");
      }
      if (op.outcome() == History.Outcome.OK) {
        acknowledged++;
        if (applied == 0 && eventsComplete) {
          lost.add("#" + op.id() + " " + op.key() + " := " + op.value());
        }
      } else if (op.outcome() == History.Outcome.FAIL && applied > 0) {
        rejectedButApplied.add("#" + op.id() + " " + op.key() + " := " + op.value() + " (" + op.error() + ")");
      }
    }
    report(problems, lost, "acknowledged register write(s) left no CONFIG_CHANGED event");
    report(problems, twice, "register write(s) applied more than once");
    report(problems, rejectedButApplied, "rejected register write(s) were applied");
    counts.put("once_writes_acked", acknowledged);
    counts.put("once_writes_applied_twice", twice.size());
  }

  /**
   * A claim applies once per command: the item's attempts rise by one and it gets a new lease
   * token and holder. The workloads never release or redrive, so an item's attempts are exactly
   * the claims that delivered it.
   */
  private static void checkClaims(List<History.Op> ops, List<WorkItem> finalItems, List<String> problems,
      Map<String, Integer> counts) {
    Map<String, Map<String, String>> holderByTokenByItem = new HashMap<>();
    int unknownClaims = 0;
    for (History.Op op : ops) {
      if (!op.type().equals("claim")) {
        continue;
      }
      if (op.outcome() == History.Outcome.UNKNOWN) {
        unknownClaims++;
      } else if (op.outcome() == History.Outcome.OK && !op.item().isEmpty()) {
        holderByTokenByItem.computeIfAbsent(op.item(), i -> new HashMap<>()).put(op.token(), op.process());
      }
    }
    int unseen = 0;
    List<String> unseenItems = new ArrayList<>();
    List<String> fewer = new ArrayList<>();
    List<String> wrongHolder = new ArrayList<>();
    for (WorkItem item : finalItems) {
      Map<String, String> seen = holderByTokenByItem.getOrDefault(item.getId(), Map.of());
      int extra = item.getAttempts() - seen.size();
      if (extra < 0) {
        fewer.add(item.getId() + ": " + seen.size() + " acknowledged deliveries, attempts " + item.getAttempts());
      } else if (extra > 0) {
        unseen += extra;
        unseenItems.add(item.getId() + " (attempts " + item.getAttempts() + ", acknowledged " + seen.size() + ")");
      }
      if (item.getAttempts() > 0 && item.hasLease()) {
        String holder = seen.get(Workloads.token(item.getLease()));
        if (holder != null && !holder.equals(item.getClaimedBy())) {
          wrongHolder.add(item.getId() + " lease " + Workloads.token(item.getLease()) + " acknowledged to " + holder
              + " but held by " + item.getClaimedBy());
        }
      }
    }
    if (unseen > unknownClaims) {
      problems.add("claims applied that no client saw: " + unseen + " deliveries in the final state beyond the "
          + "acknowledged ones, only " + unknownClaims + " claim(s) with an unknown outcome to explain them; e.g. "
          + unseenItems.subList(0, Math.min(EXAMPLES, unseenItems.size())));
    }
    report(problems, fewer, "item(s) with fewer attempts than acknowledged deliveries");
    report(problems, wrongHolder, "item(s) whose current lease is held by another worker than the one it was granted to");
    counts.put("once_claims_unseen", unseen);
    counts.put("once_claims_unknown", unknownClaims);
  }

  private static void checkDeadlines(List<History.Op> ops, Duration deadline, List<String> problems,
      Map<String, Integer> counts) {
    long deadlineNanos = deadline.toNanos();
    List<String> early = new ArrayList<>();
    int unknown = 0;
    for (History.Op op : ops) {
      if (!WRITES.contains(op.type()) || op.outcome() != History.Outcome.UNKNOWN) {
        continue;
      }
      unknown++;
      long took = op.returnNanos() - op.invokeNanos();
      if (took < deadlineNanos) {
        early.add("#" + op.id() + " " + op.process() + " " + op.type() + " after " + took / 1_000_000 + " ms: "
            + op.error());
      }
    }
    if (!early.isEmpty()) {
      problems.add(early.size() + " write(s) returned an unknown outcome before their " + deadline.toMillis()
          + " ms deadline; e.g. " + early.subList(0, Math.min(EXAMPLES, early.size())));
    }
    counts.put("writes_unknown", unknown);
    counts.put("writes_unknown_before_deadline", early.size());
  }

  private static void report(List<String> problems, List<String> found, String what) {
    if (!found.isEmpty()) {
      problems.add(found.size() + " " + what + ": " + found.subList(0, Math.min(EXAMPLES, found.size()))
          + (found.size() > EXAMPLES ? " ..." : ""));
    }
  }
}
