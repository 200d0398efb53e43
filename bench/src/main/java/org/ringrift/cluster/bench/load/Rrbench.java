package org.ringrift.cluster.bench.load;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ringrift.cluster.contract.Endpoint;
import org.ringrift.cluster.contract.views.Json;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import java.io.PrintWriter;

/** rrbench: load against a RingRift cluster and etcd, side by side, through their real clients. */
@Command(name = "rrbench", mixinStandardHelpOptions = true,
    description = "Load generator for the RingRift cluster core, with etcd as the same-run baseline.",
    subcommands = {Rrbench.Run.class, Rrbench.Compare.class, FailoverCommand.class, CatchupCommand.class,
        WorkersCommand.class, FsyncCommand.class})
public final class Rrbench {
  /** Upper bounds, so that a typo cannot ask for a run that never ends. */
  static final int MAX_CLIENTS = 1024;
  static final int MAX_OPS = 10_000_000;
  static final int MAX_PAYLOAD = 1 << 20;
  static final int MAX_RUNS = 100;

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  static int execute(String... args) {
    return commandLine().execute(args);
  }

  static CommandLine commandLine() {
    return new CommandLine(new Rrbench())
        .setExecutionExceptionHandler((e, command, parsed) -> {
          if (e instanceof IllegalArgumentException) {
            command.getErr().println("rrbench: " + e.getMessage());
            return 2;
          }
          throw e;
        });
  }

  /** Options every load command shares. */
  static final class LoadOptions {
    @Option(names = "--workload", split = ",", defaultValue = "enqueue,claim-complete,mixed,read",
        description = "Workloads, comma separated: enqueue, claim-complete, mixed, read (default: ${DEFAULT-VALUE}).")
    List<String> workloads;

    @Option(names = "--clients", split = ",", defaultValue = "1,16,64",
        description = "Concurrent closed-loop clients; a comma list runs each count (default: ${DEFAULT-VALUE}).")
    List<Integer> clients;

    @Option(names = "--ops", defaultValue = "5000", description = "Measured operations per run, over all clients (default: ${DEFAULT-VALUE}).")
    int ops;

    @Option(names = "--warmup", defaultValue = "1000",
        description = "Unmeasured operations at the start of each run, in the run's own clients, after the settling "
            + "warm-up (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--warmup-max", defaultValue = "120s", converter = DurationConverter.class,
        description = "Longest settling warm-up per workload and client count, before its first run: windows of the "
            + "same load until the throughput of the last 3 is within --warmup-tolerance; 0s turns it off "
            + "(default: ${DEFAULT-VALUE}).")
    Duration warmupMax;

    @Option(names = "--warmup-window", defaultValue = "2s", converter = DurationConverter.class,
        description = "Length of one warm-up window (default: ${DEFAULT-VALUE}).")
    Duration warmupWindow;

    @Option(names = "--warmup-tolerance", defaultValue = "1.10",
        description = "Settled when max / min of the last 3 windows' throughput is at most this (default: ${DEFAULT-VALUE}).")
    double warmupTolerance;

    @Option(names = "--warmup-jit-pct", defaultValue = "10",
        description = "Settled only when the node JVMs' JIT compiler threads used at most this %% of the "
            + "cluster's CPU in each of the last 3 windows; 100 turns it off (default: ${DEFAULT-VALUE}).")
    double warmupJitPct;

    @Option(names = "--runs", defaultValue = "3", description = "Runs per workload and client count; the median is reported (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--payload-bytes", defaultValue = "256", description = "Payload / value size (default: ${DEFAULT-VALUE}).")
    int payloadBytes;

    @Option(names = "--output", defaultValue = "table", description = "table or json (default: ${DEFAULT-VALUE}).")
    String output;

    @Option(names = "--timeout-ms", defaultValue = "10000", description = "Deadline of one client call (default: ${DEFAULT-VALUE}).")
    long timeoutMs;

    @Option(names = "--repo", description = "Repository root holding bin/rrnode (default: the rrbench.home property or the working directory).")
    Path repo;

    @Option(names = "--dir", description = "Where the clusters' temp directories go (default: java.io.tmpdir).")
    Path dir;

    @Option(names = "--keep", description = "Keep the clusters' data and logs after the run.")
    boolean keep;

    @Option(names = "--etcd-binary", defaultValue = "etcd", description = "etcd executable (default: ${DEFAULT-VALUE}, from Debian's etcd-server).")
    String etcdBinary;

    @Option(names = "--node-arg", description = "Extra rrnode argument for the clusters rrbench starts (repeat), e.g. --node-arg=--election-timeout-min-ms=150.")
    List<String> nodeArgs = new ArrayList<>();

    @Option(names = "--no-sessions",
        description = "RingRift clients without client sessions (ClusterClient.withoutSessions: writes at most once).")
    boolean noSessions;

    List<Workload> parsedWorkloads() {
      return workloads.stream().map(Workload::parse).toList();
    }

    void validate() {
      check("--clients", clients.stream().allMatch(c -> c >= 1 && c <= MAX_CLIENTS), "each 1.." + MAX_CLIENTS);
      check("--ops", ops >= 1 && ops <= MAX_OPS, "1.." + MAX_OPS);
      check("--warmup", warmup >= 0 && warmup <= MAX_OPS, "0.." + MAX_OPS);
      check("--runs", runs >= 1 && runs <= MAX_RUNS, "1.." + MAX_RUNS);
      check("--payload-bytes", payloadBytes >= 0 && payloadBytes <= MAX_PAYLOAD, "0.." + MAX_PAYLOAD);
      check("--output", output.equals("table") || output.equals("json"), "table or json");
      check("--timeout-ms", timeoutMs >= 100 && timeoutMs <= 600_000, "100..600000");
      warmupSettings().validate("--warmup");
      parsedWorkloads();
    }

    WarmupSettings warmupSettings() {
      return new WarmupSettings(warmupMax, warmupWindow, warmupTolerance, warmupJitPct);
    }

    Path repoRoot() {
      return Rrbench.repoRoot(repo);
    }

    Path tempParent() {
      return dir != null ? dir : Path.of(System.getProperty("java.io.tmpdir"));
    }

    Duration timeout() {
      return Duration.ofMillis(timeoutMs);
    }

    byte[] payload() {
      return Rrbench.payload(payloadBytes);
    }
  }

  static Path repoRoot(Path repo) {
      if (repo != null) {
        return repo;
      }
      String home = System.getProperty("rrbench.home");
      if (home != null) {
        return Path.of(home);
      }
      Path cwd = Path.of(System.getProperty("user.dir")).toAbsolutePath();
      return Files.exists(cwd.resolve("bin/rrnode")) ? cwd : cwd.getParent();
  }

  static byte[] payload(int bytes) {
    byte[] payload = new byte[bytes];
    for (int i = 0; i < payload.length; i++) {
      payload[i] = (byte) ('a' + i % 26);
    }
    return payload;
  }

  static void check(String field, boolean ok, String limit) {
    if (!ok) {
      throw new IllegalArgumentException(field + ": must be " + limit);
    }
  }

  @Command(name = "run", mixinStandardHelpOptions = true,
      description = "Runs workloads against one cluster: its own 3-node cluster, or --endpoint.")
  static final class Run implements Callable<Integer> {
    @Mixin LoadOptions load = new LoadOptions();
    @Spec CommandSpec spec;

    @Option(names = "--target", defaultValue = "ringrift", description = "ringrift or etcd (default: ${DEFAULT-VALUE}).")
    String target;

    @Option(names = "--endpoint", split = ",", description = "host:port list of an existing cluster (default: start one).")
    List<String> endpoint;

    @Override
    public Integer call() throws Exception {
      load.validate();
      PrintWriter out = spec.commandLine().getOut();
      check("--target", target.equals("ringrift") || target.equals("etcd"), "ringrift or etcd");
      try (Clusters clusters = new Clusters(load.tempParent(), load.keep)) {
        // An existing cluster's processes are not ours to read: no CPU or context switches then.
        ProcessGroup members = endpoint != null ? null
            : target.equals("etcd") ? clusters.startEtcd(load.etcdBinary)
            : clusters.startRingRift(load.repoRoot(), load.nodeArgs);
        List<Endpoint> endpoints = endpoint != null ? endpoint.stream().map(Endpoint::parse).toList()
            : members.endpoints();
        try (Target cluster = target.equals("etcd") ? new EtcdTarget(endpoints, load.timeout())
            : new RingRiftTarget(endpoints, load.timeout(), !load.noSessions)) {
          LoadRunner runner = new LoadRunner(cluster, members == null ? ClusterMeter.none() : ClusterMeter.of(members));
          Warmup warmup = new Warmup(load.warmupSettings());
          List<Map<String, Object>> results = new ArrayList<>();
          if (load.output.equals("table")) {
            out.println(RunResult.header());
          }
          for (Workload workload : load.parsedWorkloads()) {
            for (int clients : load.clients) {
              WarmupResult warm = warmup.settle(runner, workload, clients, load.payload());
              if (load.output.equals("table")) {
                out.println(warm.line(cluster.name() + " " + workload.label() + " clients=" + clients, "ops/s",
                    "ms/op"));
                out.flush();
              }
              List<RunResult> runs = new ArrayList<>();
              for (int r = 0; r < load.runs; r++) {
                runs.add(runner.run(workload, clients, load.ops, load.warmup, load.payload()));
                if (load.output.equals("table")) {
                  out.println(runs.get(r).row());
                  out.flush();
                }
              }
              RunResult median = RunResult.median(runs);
              if (load.output.equals("table")) {
                out.println(median.row() + "  <- median of " + runs.size());
              }
              Map<String, Object> entry = new LinkedHashMap<>();
              entry.put("workload", workload.label());
              entry.put("clients", clients);
              entry.put("warmup", warm.view());
              entry.put("runs", runs.stream().map(RunResult::view).toList());
              entry.put("median", median.view());
              results.add(entry);
            }
          }
          if (load.output.equals("json")) {
            out.println(Json.write(Map.of("results", results)));
          }
        }
      }
      return 0;
    }
  }

  @Command(name = "compare", mixinStandardHelpOptions = true,
      description = "Starts a RingRift and an etcd cluster and runs the same workloads on both, alternating "
          + "run by run, with the same clients and payloads; prints the ratios (ringrift / etcd). With --baseline "
          + "no-sessions: one RingRift cluster, through clients with and without sessions.")
  static final class Compare implements Callable<Integer> {
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
      check("--baseline", baselineName.equals(ETCD) || baselineName.equals(NO_SESSIONS), ETCD + " or " + NO_SESSIONS);
      boolean againstEtcd = baselineName.equals(ETCD);
      check("--no-sessions", againstEtcd || !load.noSessions, "left out with --baseline " + NO_SESSIONS
          + " (that baseline is the client without sessions)");
      PrintWriter out = spec.commandLine().getOut();
      try (Clusters clusters = new Clusters(load.tempParent(), load.keep)) {
        NodeProcesses rr = clusters.startRingRift(load.repoRoot(), load.nodeArgs);
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
}
