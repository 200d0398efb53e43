package org.ringrift.cluster.node;

import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.ringrift.cluster.contract.tls.TlsChannels;
import org.ringrift.cluster.proto.AdminServiceGrpc;
import org.ringrift.cluster.proto.DigestRequest;
import org.ringrift.cluster.proto.DigestResult;
import org.ringrift.cluster.proto.ListDaemonsRequest;
import org.ringrift.cluster.proto.ListDaemonsResult;
import org.ringrift.cluster.proto.NodeStatus;
import org.ringrift.cluster.proto.StatusRequest;

/**
 * Per-node reads the console shows side by side (status, digest, daemons): each from that node's
 * admin port, as this node (its certificate holds READ), with a short deadline so a dead node
 * shows as unreachable instead of stalling the page. One channel per address; at most one per
 * known node.
 */
final class PeerReads implements AutoCloseable {
  static final long DEADLINE_MS = 800;

  private final TlsChannels tls;
  private final Supplier<Map<String, String>> adminAddresses;
  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

  PeerReads(TlsChannels tls, Supplier<Map<String, String>> adminAddresses) {
    this.tls = tls;
    this.adminAddresses = adminAddresses;
  }

  /** Node id -> admin address, as the nodes' heartbeats reported them. */
  Map<String, String> addresses() {
    return adminAddresses.get();
  }

  CompletableFuture<NodeStatus> status(String address) {
    return call(address, (stub, observer) -> stub.status(StatusRequest.getDefaultInstance(), observer));
  }

  CompletableFuture<DigestResult> digest(String address) {
    return call(address, (stub, observer) -> stub.getDigest(DigestRequest.getDefaultInstance(), observer));
  }

  CompletableFuture<ListDaemonsResult> daemons(String address) {
    return call(address, (stub, observer) -> stub.listDaemons(ListDaemonsRequest.getDefaultInstance(), observer));
  }

  private <R> CompletableFuture<R> call(String address,
      BiConsumer<AdminServiceGrpc.AdminServiceStub, StreamObserver<R>> method) {
    CompletableFuture<R> result = new CompletableFuture<>();
    try {
      AdminServiceGrpc.AdminServiceStub stub = AdminServiceGrpc.newStub(channel(address))
          .withDeadlineAfter(DEADLINE_MS, TimeUnit.MILLISECONDS);
      method.accept(stub, ConsoleCalls.observer(result));
    } catch (RuntimeException e) {
      result.completeExceptionally(e);
    }
    return result;
  }

  private ManagedChannel channel(String address) {
    return channels.computeIfAbsent(address, a -> {
      int colon = a.lastIndexOf(':');
      if (colon < 0) {
        throw new IllegalArgumentException("admin address '" + a + "' has no port");
      }
      return tls.channel(a.substring(0, colon), Integer.parseInt(a.substring(colon + 1)));
    });
  }

  @Override
  public void close() {
    channels.values().forEach(ManagedChannel::shutdownNow);
  }
}
