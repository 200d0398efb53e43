package org.ringrift.cluster.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ringrift.cluster.client.ClusterClient;
import org.ringrift.cluster.contract.Endpoint;
import org.ringrift.cluster.proto.DaemonInfo;
import org.ringrift.cluster.proto.LeaderRecord;
import org.ringrift.cluster.proto.ListDaemonsResult;
import org.ringrift.cluster.proto.Member;
import org.ringrift.cluster.proto.NodeStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** A fixed checklist over every endpoint's own view; exit 1 when any line FAILs. */
@Command(name = "doctor", description = {"Check the cluster: PASS / WARN / FAIL per line; exit 1 if any line fails, 3 if no endpoint answers "
    + "within --timeout.",
    "Checks: a ready leader; every endpoint answers; voters alive; term stable; followers caught up; daemons; "
        + "alerts; snapshot age; fsync latency against the election timeout; linearizable reads; gRPC message "
        + "size against the appender buffer; clock offset between nodes; transport security (--insecure) (docs/RUNBOOK.md says what to do about each)."},
    footerHeading = "%nExamples:%n",
    footer = {"  rrctl doctor", "  rrctl --output json doctor | jq '.checks[] | select(.status != \"PASS\")'"})
final class DoctorCommand extends ClientCommand {
  private static final long MAX_LAG_ENTRIES = 1000;
  private static final int MAX_TERMS_PER_WINDOW = 3;
  private static final long TERM_WINDOW_MS = 10 * 60_000L;

  @Option(names = "--max-lag", defaultValue = "1000", description = "Applied-index lag that counts as behind.")
  long maxLag = MAX_LAG_ENTRIES;

  private final List<Map<String, Object>> checks = new ArrayList<>();
  private final java.time.Clock clock = java.time.Clock.systemUTC();
  private boolean failed;

  @Override
  void run(ClusterClient client, Printer printer) {
    Map<Endpoint, NodeStatus> statuses = new LinkedHashMap<>();
    List<NodeFactChecks.ClockReading> clocks = new ArrayList<>();
    Map<Endpoint, NodeStatus> received = new java.util.concurrent.ConcurrentHashMap<>();
    // Every endpoint at once, within one --timeout: a down node must not cost a timeout each.
    List<EveryNode.Answer<NodeFactChecks.ClockReading>> answers = EveryNode.ask(client, timeout(), endpoint -> {
      long sentMs = clock.millis();
      NodeStatus status = client.statusOf(endpoint);
      received.put(endpoint, status);
      return new NodeFactChecks.ClockReading(status.getNodeId(), sentMs, status.getFacts().getClockMs(), clock.millis());
    });
    for (EveryNode.Answer<NodeFactChecks.ClockReading> answer : answers) {
      statuses.put(answer.endpoint(), answer.reachable() ? received.get(answer.endpoint()) : null);
      if (answer.reachable()) {
        clocks.add(answer.value());
      }
    }
    NodeStatus leader = statuses.values().stream().filter(s -> s != null && s.getIsLeader()).findFirst().orElse(null);
    check("ready leader", leader != null && leader.getLeaderReady() ? "PASS" : "FAIL",
        leader == null ? "no reachable node is the leader" : leader.getNodeId() + " leads term " + leader.getTerm()
            + (leader.getLeaderReady() ? "" : " but is not ready"));
    checkReachable(statuses);
    if (leader != null) {
      checkQuorum(client, leader);
      checkTerms(client);
      checkLag(statuses, leader);
      checkDaemons(client, statuses, leader);
    }
    checkAlerts(statuses);
    checkVersions(statuses);
    List<NodeStatus> answered = statuses.values().stream().filter(java.util.Objects::nonNull).toList();
    NodeFactChecks facts = new NodeFactChecks(answered, clock.millis());
    for (NodeFactChecks.Check c : List.of(facts.snapshotAge(), facts.fsyncLatency(), facts.linearizableReads(),
        facts.messageSize(), facts.clockOffset(clocks), facts.transport())) {
      check(c.name(), c.status(), c.detail());
    }
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("ok", !failed);
    view.put("checks", checks);
    printer.rows(view, "checks", List.of("status", "check", "detail"));
    EveryNode.requireOneAnswer(answers, timeout());
    if (failed) {
      throw new DoctorFailed();
    }
  }

  private void checkReachable(Map<Endpoint, NodeStatus> statuses) {
    List<String> down = statuses.entrySet().stream().filter(e -> e.getValue() == null)
        .map(e -> e.getKey().toString()).toList();
    check("every endpoint answers", down.isEmpty() ? "PASS" : "FAIL",
        down.isEmpty() ? statuses.size() + " of " + statuses.size() + " answer" : "unreachable: " + down);
  }

  private void checkQuorum(ClusterClient client, NodeStatus leader) {
    List<Member> voters = client.members().stream().filter(m -> m.getRole().equals("VOTER")).toList();
    List<String> down = leader.getPeersList().stream().filter(p -> !p.getAlive()).map(p -> p.getId()).toList();
    String status = !leader.getVoterQuorumOk() ? "FAIL" : down.isEmpty() ? "PASS" : "FAIL";
    check("voters alive", status, leader.getVotersAlive() + " of " + voters.size() + " voters alive"
        + (down.isEmpty() ? "" : "; not heard from: " + down));
  }

  private void checkTerms(ClusterClient client) {
    List<LeaderRecord> history = client.leaderHistory(20);
    if (history.isEmpty()) {
      check("term stable", "WARN", "no leader history yet");
      return;
    }
    long newest = history.get(0).getSinceMs();
    long recent = history.stream().filter(r -> r.getSinceMs() >= newest - TERM_WINDOW_MS).count();
    check("term stable", recent > MAX_TERMS_PER_WINDOW ? "WARN" : "PASS",
        recent + " leader terms in the 10 minutes before the newest (term " + history.get(0).getTerm() + ")");
  }

  private void checkLag(Map<Endpoint, NodeStatus> statuses, NodeStatus leader) {
    List<String> behind = new ArrayList<>();
    for (NodeStatus status : statuses.values()) {
      if (status != null && leader.getCommitIndex() - status.getAppliedIndex() > maxLag) {
        behind.add(status.getNodeId() + " (" + (leader.getCommitIndex() - status.getAppliedIndex()) + " behind)");
      }
    }
    check("followers caught up", behind.isEmpty() ? "PASS" : "WARN",
        behind.isEmpty() ? "every answering node within " + maxLag + " entries of the commit index" : "behind: " + behind);
  }

  private void checkDaemons(ClusterClient client, Map<Endpoint, NodeStatus> statuses, NodeStatus leader) {
    List<String> problems = new ArrayList<>();
    for (Map.Entry<Endpoint, NodeStatus> entry : statuses.entrySet()) {
      if (entry.getValue() == null) {
        continue;
      }
      ListDaemonsResult daemons = client.listDaemons(entry.getKey());
      for (DaemonInfo daemon : daemons.getDaemonsList()) {
        boolean onLeader = entry.getValue().getNodeId().equals(leader.getNodeId());
        if (daemon.getState().equals("FAILED")) {
          problems.add(daemon.getName() + " FAILED on " + daemons.getNodeId() + ": " + daemon.getLastError());
        } else if (onLeader && daemon.getScope().equals("LEADER") && !daemon.getState().equals("RUNNING")) {
          problems.add("leader daemon " + daemon.getName() + " is " + daemon.getState() + " on the leader "
              + daemons.getNodeId() + (daemon.getDesiredEnabled() ? "" : " (stopped cluster-wide)"));
        }
      }
    }
    check("daemons", problems.isEmpty() ? "PASS" : "FAIL",
        problems.isEmpty() ? "leader daemons running on the leader, none FAILED" : String.join("; ", problems));
  }

  private void checkAlerts(Map<Endpoint, NodeStatus> statuses) {
    List<String> firing = new ArrayList<>();
    for (NodeStatus status : statuses.values()) {
      if (status != null) {
        status.getAlertsList().stream().filter(a -> a.getFiring())
            .forEach(a -> firing.add(a.getName() + " on " + status.getNodeId() + ": " + a.getDetail()));
      }
    }
    check("alerts", firing.isEmpty() ? "PASS" : "WARN", firing.isEmpty() ? "none firing" : String.join("; ", firing));
  }

  /**
   * FAIL when a node stopped applying (its binary is too old for the cluster's feature level); WARN
   * while nodes run different builds (a rolling upgrade in progress); else which build and levels.
   */
  private void checkVersions(Map<Endpoint, NodeStatus> statuses) {
    List<String> halted = new ArrayList<>();
    java.util.Set<String> builds = new java.util.TreeSet<>();
    int level = 0;
    for (NodeStatus status : statuses.values()) {
      if (status == null) {
        continue;
      }
      if (!status.getApplyHalted().isEmpty()) {
        halted.add(status.getNodeId() + " " + status.getApplyHalted());
      }
      builds.add(status.getBinaryVersion() + " (levels " + status.getMinFeatureLevel() + "-"
          + status.getMaxFeatureLevel() + ")");
      level = Math.max(level, status.getFeatureLevel());
    }
    if (!halted.isEmpty()) {
      check("versions", "FAIL", String.join("; ", halted));
    } else if (builds.size() > 1) {
      check("versions", "WARN", "mixed builds (a rolling upgrade in progress?): " + String.join(", ", builds)
          + "; cluster at feature level " + level);
    } else {
      check("versions", "PASS", "every node runs " + String.join("", builds) + "; cluster at feature level " + level);
    }
  }

  private void check(String name, String status, String detail) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("status", status);
    row.put("check", name);
    row.put("detail", detail);
    checks.add(row);
    failed |= status.equals("FAIL");
  }

  /** The checklist was printed; the exit code says it failed. */
  static final class DoctorFailed extends RuntimeException {
    DoctorFailed() {
      super(null, null, false, false);
    }
  }
}
