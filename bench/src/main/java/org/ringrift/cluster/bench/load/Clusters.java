package org.ringrift.cluster.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.ringrift.cluster.client.ClusterClient;

/** Starts the clusters a benchmark drives (3 members on loopback each) and removes them after. */
final class Clusters implements AutoCloseable {
  static final int MEMBERS = 3;
  private static final Duration STARTUP = Duration.ofSeconds(90);

  private final Path dir;
  private final boolean keep;
  private NodeProcesses ringrift;
  private EtcdProcesses etcd;

  Clusters(Path parent, boolean keep) throws IOException {
    Files.createDirectories(parent);
    this.dir = Files.createTempDirectory(parent, "rrbench-");
    this.keep = keep;
  }

  Path dir() {
    return dir;
  }

  NodeProcesses startRingRift(Path repo, List<String> nodeArgs) throws IOException, InterruptedException {
    ringrift = new NodeProcesses(repo, dir.resolve("ringrift"), MEMBERS, nodeArgs);
    try (ClusterClient probe = new ClusterClient(ringrift.endpoints(), Duration.ofSeconds(2))) {
      ringrift.awaitReadyLeader(probe, STARTUP);
    }
    return ringrift;
  }

  EtcdProcesses startEtcd(String binary) throws IOException, InterruptedException {
    etcd = new EtcdProcesses(binary, dir.resolve("etcd"), MEMBERS);
    etcd.awaitLeader(STARTUP);
    return etcd;
  }

  @Override
  public void close() throws Exception {
    if (ringrift != null) {
      ringrift.close();
    }
    if (etcd != null) {
      etcd.close();
    }
    if (!keep) {
      try (Stream<Path> paths = Files.walk(dir)) {
        for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(path);
        }
      }
    }
  }
}
