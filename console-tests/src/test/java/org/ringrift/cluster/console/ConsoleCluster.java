package org.ringrift.cluster.console;

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
 * Three (or more) real rrnode processes started through bin/rrnode, as ./run starts them; with a
 * TLS directory, every node runs mutual TLS with the certificates {@code rrctl certs init} wrote.
 */
final class ConsoleCluster implements AutoCloseable {
  static final Path REPO = Path.of(System.getProperty("user.dir")).getParent();
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;
  private final int size;
  private final int base;
  private final Optional<Path> tlsDir;
  private final List<Process> processes = new ArrayList<>();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  ConsoleCluster(Path dir, int size, Optional<Path> tlsDir) throws IOException {
    this.dir = dir;
    this.size = size;
    this.tlsDir = tlsDir;
    this.base = TestPorts.freeBlock(3 * size);
    for (int i = 0; i < size; i++) {
      processes.add(null);
      start(i);
    }
  }

  String id(int i) {
    return "n" + (i + 1);
  }

  int index(String id) {
    return Integer.parseInt(id.substring(1)) - 1;
  }

  int size() {
    return size;
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

  List<Endpoint> endpoints() {
    List<Endpoint> all = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      all.add(new Endpoint("127.0.0.1", adminPort(i)));
    }
    return all;
  }

  String endpointList() {
    return String.join(",", endpoints().stream().map(Endpoint::toString).toList());
  }

  void start(int i) throws IOException {
    Path data = dir.resolve(id(i));
    Files.createDirectories(data);
    List<String> peers = new ArrayList<>();
    for (int k = 0; k < size; k++) {
      peers.add(id(k) + "=127.0.0.1:" + raftPort(k));
    }
    List<String> command = new ArrayList<>(List.of(REPO.resolve("bin/rrnode").toString(), "--id", id(i),
        "--peers", String.join(",", peers), "--cluster", "console-it",
        "--admin-port", Integer.toString(adminPort(i)), "--http-port", Integer.toString(httpPort(i)),
        "--data-dir", data.toString(), "--no-populate"));
    tlsDir.ifPresent(tls -> command.addAll(List.of("--tls-dir", tls.toString())));
    Process process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(data.resolve("node.log").toFile())).start();
    processes.set(i, process);
  }

  /** kill -9: no shutdown hook, no goodbye to the peers. */
  void kill(int i) throws InterruptedException {
    Process process = processes.get(i);
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
    processes.set(i, null);
  }

  boolean running(int i) {
    return processes.get(i) != null && processes.get(i).isAlive();
  }

  /** The node's plain-HTTP /status (served in plain HTTP on TLS nodes too), or empty if it does not answer. */
  Optional<JsonNode> status(int i) {
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

  /** The leader every running node names, once they agree and it is ready; empty before. */
  Optional<String> agreedLeader() {
    String leader = null;
    for (int i = 0; i < size; i++) {
      if (!running(i)) {
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

  /** Runs bin/rrctl against this cluster; returns stdout, failing on a non-zero exit. */
  String rrctl(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(REPO.resolve("bin/rrctl").toString(), "--endpoint", endpointList()));
    tlsDir.ifPresent(tls -> command.addAll(List.of("--tls-dir", tls.toString())));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes());
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new AssertionError("rrctl " + String.join(" ", args) + " failed: " + out);
    }
    return out;
  }

  static JsonNode json(String text) throws IOException {
    return JSON.readTree(text);
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
