package org.ringrift.cluster.daemons.node;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.ringrift.cluster.proto.WorkType;

/**
 * How a worker node runs work: one command per work type, as an argument list (no shell; the
 * payload goes in on stdin, never into the command line), and how many jobs at once.
 */
public record WorkerSettings(
    Map<WorkType, List<String>> commands,
    int slots,
    Duration lease,
    Path workDir,
    long maxLogBytes,
    int reportBytes,
    Duration interval) {

  public WorkerSettings {
    commands = Map.copyOf(commands);
    if (slots < 1 || slots > 64) {
      throw new IllegalArgumentException("worker slots " + slots + " out of range 1-64");
    }
    if (lease.toMillis() < 3_000) {
      throw new IllegalArgumentException("worker lease must be at least 3 s, is " + lease.toMillis() + " ms");
    }
    for (Map.Entry<WorkType, List<String>> e : commands.entrySet()) {
      if (e.getValue().isEmpty()) {
        throw new IllegalArgumentException("work command for " + e.getKey() + " is empty");
      }
    }
  }
}
