package org.ringrift.cluster.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Samples the member processes of a cluster (and rrbench's own JVM) from /proc, so that two
 * samples give each member's CPU and context switches over the window between them. A cluster
 * rrbench did not start (run --endpoint) has no processes to read: {@link #none()}.
 */
final class ClusterMeter {
  private final ProcessGroup members;

  private ClusterMeter(ProcessGroup members) {
    this.members = members;
  }

  static ClusterMeter of(ProcessGroup members) {
    return new ClusterMeter(members);
  }

  static ClusterMeter none() {
    return new ClusterMeter(null);
  }

  boolean measures() {
    return members != null;
  }

  /** Each member's sample (empty for a member that is down) and rrbench's own. */
  record Sample(List<Optional<ProcessSample>> members, Optional<ProcessSample> bench) {}

  Sample sample() {
    List<Optional<ProcessSample>> samples = new ArrayList<>();
    if (members != null) {
      for (int i = 0; i < members.size(); i++) {
        samples.add(members.handle(i).flatMap(ProcessSample::read));
      }
    }
    return new Sample(samples, ProcessSample.read(ProcessHandle.current()));
  }

  /**
   * The usage between two samples; empty when nothing is measured or a member was down at either
   * end (a restarted member's counters start again, so no difference would mean anything).
   */
  Optional<ClusterUsage> between(Sample before, Sample after) {
    if (members == null) {
      return Optional.empty();
    }
    List<NodeUsage> nodes = new ArrayList<>();
    for (int i = 0; i < members.size(); i++) {
      Optional<ProcessSample> from = before.members().get(i);
      Optional<ProcessSample> to = after.members().get(i);
      if (from.isEmpty() || to.isEmpty()) {
        return Optional.empty();
      }
      nodes.add(to.get().since(from.get(), members.id(i)));
    }
    Optional<NodeUsage> bench = before.bench().isPresent() && after.bench().isPresent()
        ? Optional.of(after.bench().get().since(before.bench().get(), "rrbench")) : Optional.empty();
    return Optional.of(new ClusterUsage(nodes, bench));
  }
}
