package org.ringrift.cluster.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.ringrift.cluster.client.ClusterClient;
import org.ringrift.cluster.contract.Endpoint;
import org.ringrift.cluster.proto.NodeStatus;

/**
 * A cluster of real rrnode processes on loopback started through bin/rrnode, as ./run starts them
 * (a trimmed copy of cli's ProcessCluster: the benchmark needs it outside the test classpath).
 */
final class NodeProcesses implements ProcessGroup, AutoCloseable {
  private final Path repo;
  private final Path dir;
  private final int size;
  private final int base;
  private final List<String> extraArgs;
  private final List<Process> processes = new ArrayList<>();

  NodeProcesses(Path repo, Path dir, int size, List<String> extraArgs) throws IOException {
    Path launcher = repo.resolve("bin/rrnode");
    if (!Files.isExecutable(launcher)) {
      throw new IllegalArgumentException("--repo: " + launcher + " is missing or not executable");
    }
    this.repo = repo;
    this.dir = dir;
    this.size = size;
    this.extraArgs = List.copyOf(extraArgs);
    this.base = Ports.freeBlock(3 * size);
    for (int i = 0; i < size; i++) {
      processes.add(null);
      start(i);
    }
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public String id(int i) {
    return "n" + (i + 1);
  }

  Endpoint endpoint(int i) {
    return new Endpoint("127.0.0.1", base + size + i);
  }

  @Override
  public List<Endpoint> endpoints() {
    List<Endpoint> all = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      all.add(endpoint(i));
    }
    return all;
  }

  Path dataDir(int i) {
    return dir.resolve(id(i));
  }

  int httpPort(int i) {
    return base + 2 * size + i;
  }

  /** Node i's process while it runs; bin/rrnode execs java, so this is the node's JVM. */
  @Override
  public Optional<ProcessHandle> handle(int i) {
    return isRunning(i) ? Optional.of(processes.get(i).toHandle()) : Optional.empty();
  }

  void start(int i) throws IOException {
    List<String> peers = new ArrayList<>();
    for (int k = 0; k < size; k++) {
      peers.add(id(k) + "=127.0.0.1:" + (base + k));
    }
    Path data = dir.resolve(id(i));
    Files.createDirectories(data);
    List<String> command = new ArrayList<>(List.of(repo.resolve("bin/rrnode").toString(),
        "--id", id(i), "--peers", String.join(",", peers), "--cluster", "rrbench",
        "--admin-port", Integer.toString(base + size + i), "--http-port", Integer.toString(httpPort(i)),
        "--data-dir", data.toString(), "--no-populate"));
    command.addAll(extraArgs);
    processes.set(i, new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(data.resolve("node.log").toFile())).start());
  }

  /** kill -9: no shutdown hook, no flush, no goodbye to the peers. */
  void kill(int i) throws InterruptedException {
    Process process = processes.get(i);
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
    processes.set(i, null);
  }

  boolean isRunning(int i) {
    return processes.get(i) != null && processes.get(i).isAlive();
  }

  /** The running node that reports itself as the ready leader, if one does. */
  Optional<Integer> readyLeader(ClusterClient probe) {
    for (int i = 0; i < size; i++) {
      if (!isRunning(i)) {
        continue;
      }
      Optional<NodeStatus> status = Probes.status(probe, endpoint(i));
      if (status.isPresent() && status.get().getIsLeader() && status.get().getLeaderReady()) {
        return Optional.of(i);
      }
    }
    return Optional.empty();
  }

  /** Waits for a ready leader, failing with the data dir to look at when none comes. */
  int awaitReadyLeader(ClusterClient probe, Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<Integer> leader = readyLeader(probe);
      if (leader.isPresent()) {
        return leader.get();
      }
      for (int i = 0; i < size; i++) {
        if (processes.get(i) != null && !processes.get(i).isAlive()) {
          throw new IllegalStateException(id(i) + " exited with " + processes.get(i).exitValue()
              + "; see " + dir.resolve(id(i)).resolve("node.log"));
        }
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("no ready leader within " + limit.toSeconds() + " s; logs under " + dir);
  }

  @Override
  public void close() throws InterruptedException {
    for (Process process : processes) {
      if (process != null) {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
      }
    }
  }
}
