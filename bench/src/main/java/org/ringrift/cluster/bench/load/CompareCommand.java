package org.ringrift.cluster.bench.load;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ringrift.cluster.contract.Endpoint;
import org.ringrift.cluster.contract.views.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** rrbench compare: the same workloads on RingRift and a baseline, alternating run by run, and their ratios. */
@Command(name = "compare", mixinStandardHelpOptions = true,
    description = "Starts a RingRift and an etcd cluster and runs the same workloads on both, alternating "
        + "run by run, with the same clients and payloads; prints the ratios (ringrift / etcd). With --baseline "
        + "no-sessions: one RingRift cluster, through clients with and without sessions.")
final class CompareCommand implements Callable<Integer> {
  static final String ETCD = "etcd";
  static final String NO_SESSIONS = "no-sessions";

  @Mixin LoadOptions load = new LoadOptions();
  @Spec CommandSpec spec;

  @Option(names = "--baseline", defaultValue = ETCD,
      description = "What RingRift is compared with: etcd (its own cluster), or no-sessions (the same RingRift "
          + "cluster through clients without sessions, ClusterClient.withoutSessions) (default: ${DEFAULT-VALUE}).")
  String baselineName;

  @Override
  public Integer call() throws Exception {
    load.validate();
    Rrbench.check("--baseline", baselineName.equals(ETCD) || baselineName.equals(NO_SESSIONS), ETCD + " or " + NO_SESSIONS);
    boolean againstEtcd = baselineName.equals(ETCD);
    Rrbench.check("--no-sessions", againstEtcd || !load.noSessions, "left out with --baseline " + NO_SESSIONS
        + " (that baseline is the client without sessions)");
    PrintWriter out = spec.commandLine().getOut();
    try (Clusters clusters = new Clusters(load.tempParent(), load.keep())) {
      NodeProcesses rr = clusters.startRingRift(load.repoRoot(), load.nodeArgs());
      // Against no-sessions both sides drive the one RingRift cluster, alternating run by run.
      ProcessGroup other = againstEtcd ? clusters.startEtcd(load.etcdBinary) : rr;
      try (Target ringrift = new RingRiftTarget(rr.endpoints(), load.timeout(), !load.noSessions);
          Target baseline = againstEtcd ? new EtcdTarget(other.endpoints(), load.timeout())
              : new RingRiftTarget(rr.endpoints(), load.timeout(), false)) {
        Map<Target, LoadRunner> runners = Map.of(ringrift, new LoadRunner(ringrift, ClusterMeter.of(rr)),
            baseline, new LoadRunner(baseline, ClusterMeter.of(other)));
        Warmup warmup = new Warmup(load.warmupSettings());
        List<Map<String, Object>> results = new ArrayList<>();
        boolean table = load.output.equals("table");
        if (table) {
          out.println(RunResult.header());
        }
        for (Workload workload : load.parsedWorkloads()) {
          for (int clients : load.clients) {
            // Both warm before either is measured; the etcd server is compiled already, but the
            // client JVM's etcd path is not.
            Map<Target, WarmupResult> warm = new LinkedHashMap<>();
            for (Target target : List.of(ringrift, baseline)) {
              warm.put(target, warmup.settle(runners.get(target), workload, clients, load.payload()));
              if (table) {
                out.println(warm.get(target).line(target.name() + " " + workload.label() + " clients=" + clients,
                    "ops/s", "ms/op"));
                out.flush();
              }
            }
            List<RunResult> ours = new ArrayList<>();
            List<RunResult> theirs = new ArrayList<>();
            for (int r = 0; r < load.runs; r++) {
              // Alternate who goes first, so neither always runs on the warmer machine.
              Target first = r % 2 == 0 ? ringrift : baseline;
              Target second = r % 2 == 0 ? baseline : ringrift;
              for (Target target : List.of(first, second)) {
                RunResult result = runners.get(target).run(workload, clients, load.ops, load.warmup, load.payload());
                (target == ringrift ? ours : theirs).add(result);
                if (table) {
                  out.println(result.row());
                  out.flush();
                }
              }
            }
            RunResult a = RunResult.median(ours);
            RunResult b = RunResult.median(theirs);
            double throughputRatio = a.throughputOpsS() / b.throughputOpsS();
            double p50Ratio = a.p50Ms() / b.p50Ms();
            if (table) {
              out.println(a.row() + "  <- median");
              out.println(b.row() + "  <- median");
              out.printf("ratio %s/%s %s clients=%d: throughput %.2f, p50 %.2f, p99 %.2f, cpu/op %s, "
                  + "context switches/op %s%n", ringrift.name(), baseline.name(), workload.label(), clients,
                  throughputRatio, p50Ratio,
                  a.p99Ms() / b.p99Ms(), ratio(a, b, ClusterUsage::cpuMsPerOp),
                  ratio(a, b, ClusterUsage::contextSwitchesPerOp));
            }
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("workload", workload.label());
            entry.put("clients", clients);
            entry.put("ringrift", a.view());
            entry.put(baseline.name(), b.view());
            entry.put("throughput_ratio", Math.round(throughputRatio * 1000) / 1000.0);
            entry.put("p50_ratio", Math.round(p50Ratio * 1000) / 1000.0);
            entry.put("cpu_per_op_ratio", ratioValue(a, b, ClusterUsage::cpuMsPerOp));
            entry.put("ringrift_warmup", warm.get(ringrift).view());
            entry.put(baseline.name() + "_warmup", warm.get(baseline).view());
            entry.put("ringrift_runs", ours.stream().map(RunResult::view).toList());
            entry.put(baseline.name() + "_runs", theirs.stream().map(RunResult::view).toList());
            results.add(entry);
          }
        }
        if (!table) {
          out.println(Json.write(Map.of("comparisons", results)));
        }
      }
    }
    return 0;
  }

  /** a / b of a per-operation usage figure of two median runs; null when either is unmeasured. */
  private static Double ratioValue(RunResult a, RunResult b, PerOp perOp) {
    if (a.usage().isEmpty() || b.usage().isEmpty() || a.ops() == 0 || b.ops() == 0) {
      return null;
    }
    double ratio = perOp.of(a.usage().get(), a.ops()) / perOp.of(b.usage().get(), b.ops());
    return Double.isFinite(ratio) ? Math.round(ratio * 1000) / 1000.0 : null;
  }

  private static String ratio(RunResult a, RunResult b, PerOp perOp) {
    Double ratio = ratioValue(a, b, perOp);
    return ratio == null ? "-" : String.format("%.2f", ratio);
  }

  private interface PerOp {
    double of(ClusterUsage usage, long ops);
  }
}
