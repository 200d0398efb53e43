package org.ringrift.cluster.bench.load;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Options every load command shares. */
final class LoadOptions {
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

  @Mixin WarmupOptions warmupOptions = new WarmupOptions();

  @Option(names = "--runs", defaultValue = "3", description = "Runs per workload and client count; the median is reported (default: ${DEFAULT-VALUE}).")
  int runs;

  @Option(names = "--payload-bytes", defaultValue = "256", description = "Payload / value size (default: ${DEFAULT-VALUE}).")
  int payloadBytes;

  @Option(names = "--output", defaultValue = "table", description = "table or json (default: ${DEFAULT-VALUE}).")
  String output;

  @Option(names = "--timeout-ms", defaultValue = "10000", description = "Deadline of one client call (default: ${DEFAULT-VALUE}).")
  long timeoutMs;

  @Mixin ClusterStartOptions cluster = new ClusterStartOptions();

  @Option(names = "--etcd-binary", defaultValue = "etcd", description = "etcd executable (default: ${DEFAULT-VALUE}, from Debian's etcd-server).")
  String etcdBinary;

  @Option(names = "--no-sessions",
      description = "RingRift clients without client sessions (ClusterClient.withoutSessions: writes at most once).")
  boolean noSessions;

  List<Workload> parsedWorkloads() {
    return workloads.stream().map(Workload::parse).toList();
  }

  void validate() {
    Rrbench.check("--clients", clients.stream().allMatch(c -> c >= 1 && c <= Rrbench.MAX_CLIENTS), "each 1.." + Rrbench.MAX_CLIENTS);
    Rrbench.check("--ops", ops >= 1 && ops <= Rrbench.MAX_OPS, "1.." + Rrbench.MAX_OPS);
    Rrbench.check("--warmup", warmup >= 0 && warmup <= Rrbench.MAX_OPS, "0.." + Rrbench.MAX_OPS);
    Rrbench.check("--runs", runs >= 1 && runs <= Rrbench.MAX_RUNS, "1.." + Rrbench.MAX_RUNS);
    Rrbench.check("--payload-bytes", payloadBytes >= 0 && payloadBytes <= Rrbench.MAX_PAYLOAD, "0.." + Rrbench.MAX_PAYLOAD);
    Rrbench.check("--output", output.equals("table") || output.equals("json"), "table or json");
    Rrbench.check("--timeout-ms", timeoutMs >= 100 && timeoutMs <= 600_000, "100..600000");
    warmupSettings().validate("--warmup");
    parsedWorkloads();
  }

  WarmupSettings warmupSettings() {
    return warmupOptions.settings();
  }

  Path repoRoot() {
    return cluster.repoRoot();
  }

  Path tempParent() {
    return cluster.tempParent();
  }

  boolean keep() {
    return cluster.keep;
  }

  List<String> nodeArgs() {
    return cluster.nodeArgs;
  }

  Duration timeout() {
    return Duration.ofMillis(timeoutMs);
  }

  byte[] payload() {
    return Rrbench.payload(payloadBytes);
  }
}
