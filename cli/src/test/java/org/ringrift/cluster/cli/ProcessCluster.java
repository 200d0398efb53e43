package org.ringrift.cluster.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.ringrift.cluster.contract.Endpoint;
import org.ringrift.cluster.raft.TestPorts;

/**
 * A cluster of real rrnode processes started through bin/rrnode, as ./run starts them. The first
 * {@code voters} nodes form the initial configuration; the rest are spares with ports reserved,
 * started later with --join. Each node's command line and pid are written to {@code <dir>/<id>.args}
 * and {@code <id>.pid}, so a shell script (the runbook test) can stop and restart it the same way.
 * With a TLS directory, every node runs mutual TLS with the certificates there ({@code rrctl certs
 * init} writes them) and {@link #rrctl} presents its admin certificate. The cli tests and the
 * console tests (through this module's test-jar) share it.
 */
public final class ProcessCluster implements AutoCloseable {
  public static final Path REPO = Path.of(System.getProperty("user.dir")).getParent();
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;
  private final int voters;
  private final int size;
  private final int base;
  private final Optional<Path> tlsDir;
  private final List<Process> processes = new ArrayList<>();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  public ProcessCluster(Path dir, int size) throws IOException {
    this(dir, size, size);
  }

  ProcessCluster(Path dir, int voters, int size) throws IOException {
    this(dir, voters, size, List.of());
  }

  /** {@code initialExtra}: more rrnode arguments for the initial voters' first start. */
  ProcessCluster(Path dir, int voters, int size, List<String> initialExtra) throws IOException {
    this(dir, voters, size, initialExtra, Optional.empty());
  }

  private ProcessCluster(Path dir, int voters, int size, List<String> initialExtra, Optional<Path> tlsDir)
      throws IOException {
    this.dir = dir;
    this.voters = voters;
    this.size = size;
    this.tlsDir = tlsDir;
    this.base = TestPorts.freeBlock(3 * size);
    for (int i = 0; i < size; i++) {
      processes.add(null);
    }
    for (int i = 0; i < voters; i++) {
      start(i, initialExtra.toArray(String[]::new));
    }
  }

  /** {@code size} voters, each running mutual TLS with the node certificates in {@code tlsDir}. */
  public static ProcessCluster withTls(Path dir, int size, Path tlsDir) throws IOException {
    return new ProcessCluster(dir, size, size, List.of(), Optional.of(tlsDir));
  }

  public String id(int i) {
    return "n" + (i + 1);
  }

  /** The index of node {@code id} (n1 is 0). */
  public int index(String id) {
    return Integer.parseInt(id.substring(1)) - 1;
  }

  public int size() {
    return size;
  }

  int raftPort(int i) {
    return base + i;
  }

  int adminPort(int i) {
    return base + size + i;
  }

  public int httpPort(int i) {
    return base + 2 * size + i;
  }

  Path dataDir(int i) {
    return dir.resolve(id(i));
  }

  Endpoint endpoint(int i) {
    return new Endpoint("127.0.0.1", adminPort(i));
  }

  /** Admin endpoints of the initial voters. */
  public List<Endpoint> endpoints() {
    List<Endpoint> all = new ArrayList<>();
    for (int i = 0; i < voters; i++) {
      all.add(endpoint(i));
    }
    return all;
  }

  public String endpointList() {
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
    List<String> arguments = new ArrayList<>(List.of("--id", id(i), "--peers", String.join(",", peers),
        "--cluster", "it", "--admin-port", Integer.toString(adminPort(i)), "--http-port", Integer.toString(httpPort(i)),
        "--data-dir", dataDir(i).toString(), "--no-populate"));
    tlsDir.ifPresent(tls -> arguments.addAll(List.of("--tls-dir", tls.toString())));
    return List.copyOf(arguments);
  }

  public void start(int i, String... extra) throws IOException {
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
  public void kill(int i) throws InterruptedException {
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

  public boolean isRunning(int i) {
    return processes.get(i) != null && processes.get(i).isAlive();
  }

  /** The node's plain-HTTP /status (served in plain HTTP on TLS nodes too), or empty if it does not answer. */
  public Optional<JsonNode> status(int i) {
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort(i)
          + "/status")).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? Optional.of(JSON.readTree(response.body())) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /** The leader every running node names, once they agree; empty before. */
  public Optional<String> agreedLeader() {
    String leader = null;
    for (int i = 0; i < size; i++) {
      if (!isRunning(i)) {
        continue;
      }
      Optional<JsonNode> s = status(i);
      if (s.isEmpty() || s.get().path("leader_id").isNull() || s.get().path("leader_id").asText().isEmpty()) {
        return Optional.empty();
      }
      String named = s.get().path("leader_id").asText();
      if (leader != null && !leader.equals(named)) {
        return Optional.empty();
      }
      leader = named;
    }
    return Optional.ofNullable(leader);
  }

  /** Runs bin/rrctl against this cluster (as admin, with TLS); returns what it printed, failing on a non-zero exit. */
  public String rrctl(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("--endpoint", endpointList()));
    tlsDir.ifPresent(tls -> command.addAll(List.of("--tls-dir", tls.toString())));
    command.addAll(List.of(args));
    RrctlProcess.Result result = RrctlProcess.run(command.toArray(String[]::new));
    if (result.exitCode() != 0) {
      throw new AssertionError("rrctl " + String.join(" ", args) + " failed (exit " + result.exitCode() + "): "
          + result.out() + result.err());
    }
    return result.out();
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
