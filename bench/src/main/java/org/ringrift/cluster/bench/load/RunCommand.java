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

/** rrbench run: workloads against one cluster, its own or an existing one, with the median of several runs. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Runs workloads against one cluster: its own 3-node cluster, or --endpoint.")
final class RunCommand implements Callable<Integer> {
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
    Rrbench.check("--target", target.equals("ringrift") || target.equals("etcd"), "ringrift or etcd");
    try (Clusters clusters = new Clusters(load.tempParent(), load.keep())) {
      // An existing cluster's processes are not ours to read: no CPU or context switches then.
      ProcessGroup members = endpoint != null ? null
          : target.equals("etcd") ? clusters.startEtcd(load.etcdBinary)
          : clusters.startRingRift(load.repoRoot(), load.nodeArgs());
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
