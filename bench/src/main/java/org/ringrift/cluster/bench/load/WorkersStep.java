package org.ringrift.cluster.bench.load;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One step of rrbench workers: its warm-up, the fleet's window and the nodes' side of the same
 * window (CPU and context switches per call: claims, empty claims, completes and heartbeats).
 */
record WorkersStep(int workers, double seconds, WorkerFleet.Window fleet, long feederErrors, String leader,
    boolean leaderChanged, double leaderCpuPct, List<Double> followerCpuPct, double benchCpuPct,
    Double serverCommitMsMean, Double leaderApplyMsMean, Double logEntriesPerSecond, WarmupResult warmup,
    Optional<ClusterUsage> usage) {
  /** The bar: p99 claim latency under this, with no failed claim. */
  static final double CLAIM_P99_LIMIT_MS = 100;

  boolean heldClaimLimit() {
    return fleet.claims() > 0 && fleet.claimErrors() == 0 && fleet.claim().p99Ms() < CLAIM_P99_LIMIT_MS;
  }

  long errors() {
    return fleet.errors() + feederErrors;
  }

  long calls() {
    return fleet.claims() + fleet.emptyClaims() + fleet.completes() + fleet.heartbeats();
  }

  Map<String, Object> view() {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("workers", workers);
    view.put("seconds", Percentiles.round(seconds));
    view.put("claims", fleet.claims());
    view.put("claims_per_s", Percentiles.round(fleet.claims() / seconds));
    view.put("empty_claims", fleet.emptyClaims());
    view.put("completes", fleet.completes());
    view.put("heartbeats", fleet.heartbeats());
    view.put("heartbeats_per_s", Percentiles.round(fleet.heartbeats() / seconds));
    view.put("claim_ms", fleet.claim().view());
    view.put("complete_ms", fleet.complete().view());
    view.put("heartbeat_ms", fleet.heartbeat().view());
    view.put("schedule_lag_ms", fleet.scheduleLag().view());
    view.put("leader", leader);
    view.put("leader_changed", leaderChanged);
    view.put("leader_cpu_pct", Percentiles.round(leaderCpuPct));
    view.put("follower_cpu_pct", followerCpuPct.stream().map(Percentiles::round).toList());
    view.put("bench_cpu_pct", Percentiles.round(benchCpuPct));
    view.put("server_commit_ms_mean", serverCommitMsMean == null ? null : Percentiles.round(serverCommitMsMean));
    view.put("leader_apply_ms_mean", leaderApplyMsMean == null ? null : Percentiles.round(leaderApplyMsMean));
    view.put("log_entries_per_s", logEntriesPerSecond == null ? null : Percentiles.round(logEntriesPerSecond));
    view.put("calls", calls());
    view.put("cpu_ms_per_call", usage.isEmpty() || calls() == 0 ? null
        : Percentiles.round(usage.get().cpuMs() / calls()));
    view.put("context_switches_per_call", usage.isEmpty() || calls() == 0 ? null
        : Percentiles.round((double) usage.get().contextSwitches() / calls()));
    view.put("nodes", usage.map(u -> u.view(calls()).get("nodes")).orElse(List.of()));
    view.putAll(warmup.view());
    view.put("errors", errors());
    Map<String, Object> byCall = new LinkedHashMap<>();
    byCall.put("claim", fleet.claimErrors());
    byCall.put("complete", fleet.completeErrors());
    byCall.put("heartbeat", fleet.heartbeatErrors());
    byCall.put("feeder", feederErrors);
    byCall.put("outcome_unknown", fleet.outcomeUnknown());
    view.put("errors_by_call", byCall);
    view.put("p99_claim_under_100ms", heldClaimLimit());
    return view;
  }

  static String header() {
    return String.format("%7s %8s %8s %8s %8s %8s %8s %8s %8s %8s %7s %7s %7s %6s", "workers", "claims/s",
        "claim50", "claim99", "claim999", "claimMax", "compl99", "hb50", "hb99", "commit", "ldrCPU%", "benchC%",
        "lag99", "errors");
  }

  String row() {
    return String.format("%7d %8.1f %8.1f %8.1f %8.1f %8.1f %8.1f %8.1f %8.1f %8s %7.1f %7.1f %7.1f %6d%s", workers,
        fleet.claims() / seconds, fleet.claim().p50Ms(), fleet.claim().p99Ms(), fleet.claim().p999Ms(),
        fleet.claim().maxMs(), fleet.complete().p99Ms(), fleet.heartbeat().p50Ms(), fleet.heartbeat().p99Ms(),
        serverCommitMsMean == null ? "-" : String.format("%.1f", serverCommitMsMean), leaderCpuPct, benchCpuPct,
        fleet.scheduleLag().p99Ms(), errors(), leaderChanged ? "  (leader changed)" : "");
  }
}
