package org.ringrift.cluster.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.ringrift.cluster.contract.Endpoint;
import org.ringrift.cluster.raft.TestPorts;

/**
 * A cluster of real rrnode processes started through bin/rrnode, as ./run starts them. The first
 * {@code voters} nodes form the initial configuration; the rest are spares with ports reserved,
 * started later with --join. Each node's command line and pid are written to {@code <dir>/<id>.args}
 * and {@code <id>.pid}, so a shell script (the runbook test) can stop and restart it the same way.
 */
final class ProcessCluster implements AutoCloseable {
  static final Path REPO = Path.of(System.getProperty("user.dir")).getParent();

  private final Path dir;
  private final int voters;
  private final int size;
  private final int base;
  private final List<Process> processes = new ArrayList<>();

  ProcessCluster(Path dir, int size) throws IOException {
    this(dir, size, size);
  }

  ProcessCluster(Path dir, int voters, int size) throws IOException {
    this(dir, voters, size, List.of());
  }

  /** {@code initialExtra}: more rrnode arguments for the initial voters' first start. */
  ProcessCluster(Path dir, int voters, int size, List<String> initialExtra) throws IOException {
    this.dir = dir;
    this.voters = voters;
    this.size = size;
    this.base = TestPorts.freeBlock(3 * size);
    for (int i = 0; i < size; i++) {
      processes.add(null);
    }
    for (int i = 0; i < voters; i++) {
      start(i, initialExtra.toArray(String[]::new));
    }
  }

  String id(int i) {
    return "n" + (i + 1);
  }

  int raftPort(int i) {
    return base + i;
  }

  int adminPort(int i) {
    return base + size + i;
  }

  int httpPort(int i) {
    return base + 2 * size + i;
  }

  Path dataDir(int i) {
    return dir.resolve(id(i));
  }

  Endpoint endpoint(int i) {
    return new Endpoint("127.0.0.1", adminPort(i));
  }

  /** Admin endpoints of the initial voters. */
  List<Endpoint> endpoints() {
    List<Endpoint> all = new ArrayList<>();
    for (int i = 0; i < voters; i++) {
      all.add(endpoint(i));
    }
    return all;
  }

  String endpointList() {
    return String.join(",", endpoints().stream().map(Endpoint::toString).toList());
  }

  /** The rrnode arguments of node i (a spare also names itself among the peers, as --join requires). */
  List<String> arguments(int i) {
    List<String> peers = new ArrayList<>();
    for (int k = 0; k < Math.max(voters, i + 1); k++) {
      if (k < voters || k == i) {
        peers.add(id(k) + "=127.0.0.1:" + raftPort(k));
      }
    }
    return List.of("--id", id(i), "--peers", String.join(",", peers), "--cluster", "it",
        "--admin-port", Integer.toString(adminPort(i)), "--http-port", Integer.toString(httpPort(i)),
        "--data-dir", dataDir(i).toString(), "--no-populate");
  }

  void start(int i, String... extra) throws IOException {
    Files.createDirectories(dataDir(i));
    List<String> command = new ArrayList<>();
    command.add(REPO.resolve("bin/rrnode").toString());
    command.addAll(arguments(i));
    command.addAll(List.of(extra));
    Files.write(dir.resolve(id(i) + ".args"), arguments(i));
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir(i).resolve("node.log").toFile()));
    Process process = builder.start();
    Files.writeString(dir.resolve(id(i) + ".pid"), Long.toString(process.pid()));
    processes.set(i, process);
  }

  /** kill -9: no shutdown hook, no flush, no goodbye to the peers. */
  void kill(int i) throws InterruptedException {
    Process process = processes.get(i);
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
    processes.set(i, null);
  }

  /** SIGTERM, as Ctrl-C in ./run sends it; returns the exit code. */
  int terminate(int i) throws InterruptedException {
    Process process = processes.get(i);
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(id(i) + " did not stop within 30 s of SIGTERM");
    }
    processes.set(i, null);
    return process.exitValue();
  }

  boolean isRunning(int i) {
    return processes.get(i) != null && processes.get(i).isAlive();
  }

  /** Stops every node, including ones a script restarted (found through their pid files). */
  @Override
  public void close() throws InterruptedException {
    for (int i = 0; i < size; i++) {
      if (processes.get(i) != null) {
        processes.get(i).destroyForcibly();
        processes.get(i).waitFor(30, TimeUnit.SECONDS);
      }
      try {
        Path pidFile = dir.resolve(id(i) + ".pid");
        if (Files.exists(pidFile)) {
          long pid = Long.parseLong(Files.readString(pidFile).trim());
          // Only a process that is this node (its data dir on its command line), never a reused pid.
          String data = dataDir(i).toString();
          ProcessHandle.of(pid).filter(p -> p.info().commandLine().map(c -> c.contains(data)).orElse(false))
              .ifPresent(p -> {
            p.destroyForcibly();
            p.onExit().join();
          });
        }
      } catch (IOException | NumberFormatException e) {
        throw new IllegalStateException("cannot read the pid file of " + id(i), e);
      }
    }
  }
}
