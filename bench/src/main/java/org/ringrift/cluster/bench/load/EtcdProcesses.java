package org.ringrift.cluster.bench.load;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.ringrift.cluster.bench.etcd.proto.MaintenanceGrpc;
import org.ringrift.cluster.bench.etcd.proto.StatusRequest;
import org.ringrift.cluster.bench.etcd.proto.StatusResponse;
import org.ringrift.cluster.contract.Endpoint;

/**
 * A 3-member etcd cluster on loopback (the etcd binary from Debian's etcd-server package), with
 * etcd's defaults: WAL fsync before every ack, 100 ms heartbeat, 1 s election timeout.
 */
final class EtcdProcesses implements ProcessGroup, AutoCloseable {
  private final String binary;
  private final Path dir;
  private final int size;
  private final int base;
  private final String token = "rrbench-" + System.nanoTime();
  private final List<Process> processes = new ArrayList<>();
  private final List<ManagedChannel> probes = new ArrayList<>();

  EtcdProcesses(String binary, Path dir, int size) throws IOException {
    this.binary = binary;
    this.dir = dir;
    this.size = size;
    this.base = Ports.freeBlock(2 * size);
    for (int i = 0; i < size; i++) {
      processes.add(null);
      probes.add(ManagedChannelBuilder.forAddress("127.0.0.1", clientPort(i)).usePlaintext().build());
    }
    for (int i = 0; i < size; i++) {
      start(i, "new");
    }
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public String id(int i) {
    return "e" + (i + 1);
  }

  /** Member i's etcd process while it runs. */
  @Override
  public Optional<ProcessHandle> handle(int i) {
    return isRunning(i) ? Optional.of(processes.get(i).toHandle()) : Optional.empty();
  }

  private int clientPort(int i) {
    return base + i;
  }

  private int peerPort(int i) {
    return base + size + i;
  }

  Endpoint endpoint(int i) {
    return new Endpoint("127.0.0.1", clientPort(i));
  }

  @Override
  public List<Endpoint> endpoints() {
    List<Endpoint> all = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      all.add(endpoint(i));
    }
    return all;
  }

  /** Starts member i; {@code state} is "new" at bootstrap and "existing" on a restart. */
  void start(int i, String state) throws IOException {
    List<String> cluster = new ArrayList<>();
    for (int k = 0; k < size; k++) {
      cluster.add("e" + (k + 1) + "=http://127.0.0.1:" + peerPort(k));
    }
    Path data = dir.resolve(id(i));
    Files.createDirectories(data);
    String client = "http://127.0.0.1:" + clientPort(i);
    String peer = "http://127.0.0.1:" + peerPort(i);
    List<String> command = List.of(binary, "--name", id(i), "--data-dir", data.resolve("data").toString(),
        "--listen-client-urls", client, "--advertise-client-urls", client,
        "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
        "--initial-cluster", String.join(",", cluster), "--initial-cluster-state", state,
        "--initial-cluster-token", token, "--logger", "zap");
    try {
      processes.set(i, new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(data.resolve("etcd.log").toFile())).start());
    } catch (IOException e) {
      throw new IOException("cannot start " + binary + " (apt-get install etcd-server, or --etcd-binary): "
          + e.getMessage(), e);
    }
  }

  void restart(int i) throws IOException {
    start(i, "existing");
  }

  void kill(int i) throws InterruptedException {
    processes.get(i).destroyForcibly();
    processes.get(i).waitFor(30, TimeUnit.SECONDS);
    processes.set(i, null);
  }

  boolean isRunning(int i) {
    return processes.get(i) != null && processes.get(i).isAlive();
  }

  Optional<StatusResponse> status(int i) {
    try {
      return Optional.of(MaintenanceGrpc.newBlockingStub(probes.get(i)).withDeadlineAfter(1, TimeUnit.SECONDS)
          .status(StatusRequest.getDefaultInstance()));
    } catch (StatusRuntimeException unreachable) {
      return Optional.empty();
    }
  }

  /** The running member that reports itself as leader (its member id is the cluster's leader id). */
  Optional<Integer> leader() {
    for (int i = 0; i < size; i++) {
      if (!isRunning(i)) {
        continue;
      }
      Optional<StatusResponse> status = status(i);
      if (status.isPresent() && status.get().getLeader() != 0
          && status.get().getLeader() == status.get().getHeader().getMemberId()) {
        return Optional.of(i);
      }
    }
    return Optional.empty();
  }

  int awaitLeader(Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<Integer> leader = leader();
      if (leader.isPresent()) {
        return leader.get();
      }
      for (int i = 0; i < size; i++) {
        if (processes.get(i) != null && !processes.get(i).isAlive()) {
          throw new IllegalStateException("etcd e" + (i + 1) + " exited with " + processes.get(i).exitValue()
              + "; see " + dir.resolve(id(i)).resolve("etcd.log"));
        }
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("etcd elected no leader within " + limit.toSeconds() + " s; logs under " + dir);
  }

  @Override
  public void close() throws InterruptedException {
    for (ManagedChannel probe : probes) {
      probe.shutdownNow();
    }
    for (Process process : processes) {
      if (process != null) {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
      }
    }
  }
}
