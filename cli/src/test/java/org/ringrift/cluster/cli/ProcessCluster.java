package org.ringrift.cluster.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.ringrift.cluster.client.Endpoint;
import org.ringrift.cluster.raft.TestPorts;

/** A cluster of real rrnode processes started through bin/rrnode, as ./run starts them. */
final class ProcessCluster implements AutoCloseable {
  static final Path REPO = Path.of(System.getProperty("user.dir")).getParent();

  private final Path dir;
  private final int size;
  private final int base;
  private final List<Process> processes = new ArrayList<>();

  ProcessCluster(Path dir, int size) throws IOException {
    this.dir = dir;
    this.size = size;
    this.base = TestPorts.freeBlock(3 * size);
    for (int i = 0; i < size; i++) {
      processes.add(null);
      start(i);
    }
  }

  String id(int i) {
    return "n" + (i + 1);
  }

  int adminPort(int i) {
    return base + size + i;
  }

  int httpPort(int i) {
    return base + 2 * size + i;
  }

  Endpoint endpoint(int i) {
    return new Endpoint("127.0.0.1", adminPort(i));
  }

  List<Endpoint> endpoints() {
    List<Endpoint> all = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      all.add(endpoint(i));
    }
    return all;
  }

  String endpointList() {
    return String.join(",", endpoints().stream().map(Endpoint::toString).toList());
  }

  void start(int i) throws IOException {
    List<String> peers = new ArrayList<>();
    for (int k = 0; k < size; k++) {
      peers.add(id(k) + "=127.0.0.1:" + (base + k));
    }
    Path data = dir.resolve(id(i));
    Files.createDirectories(data);
    ProcessBuilder builder = new ProcessBuilder(REPO.resolve("bin/rrnode").toString(),
        "--id", id(i), "--peers", String.join(",", peers), "--cluster", "it",
        "--admin-port", Integer.toString(adminPort(i)), "--http-port", Integer.toString(httpPort(i)),
        "--data-dir", data.toString(), "--no-populate")
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(data.resolve("node.log").toFile()));
    processes.set(i, builder.start());
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

  @Override
  public void close() throws InterruptedException {
    for (int i = 0; i < size; i++) {
      if (processes.get(i) != null) {
        processes.get(i).destroyForcibly();
        processes.get(i).waitFor(30, TimeUnit.SECONDS);
      }
    }
  }
}
