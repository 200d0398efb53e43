package org.ringrift.cluster.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ringrift.cluster.client.ClusterClient;
import org.ringrift.cluster.contract.Endpoint;
import org.ringrift.cluster.proto.AdminServiceGrpc;
import org.ringrift.cluster.proto.ConfigEntry;
import org.ringrift.cluster.proto.EnqueueRequest;
import org.ringrift.cluster.proto.EnqueueResult;
import org.ringrift.cluster.proto.GetConfigRequest;
import org.ringrift.cluster.proto.GetConfigResult;
import org.ringrift.cluster.proto.SetConfigRequest;
import org.ringrift.cluster.proto.WorkType;
import org.ringrift.cluster.raft.RaftSettings;

/**
 * Chaos bug 5: a write whose connection broke after the node received it was sent again to
 * another node and applied twice. The first endpoint here is a node front that delivers each call
 * to the real cluster (with the caller's session headers, as a node would) and then answers as a
 * broken connection would. With client sessions the client sends the write again, and the cluster
 * answers the resend with the first result instead of applying it again.
 */
class ClientDeliveryTest {
  private static final String KEY = "populator.max_per_cycle";

  @TempDir static Path dir;
  static LocalCluster cluster;
  static ClusterClient direct;
  static Server front;
  static final AtomicInteger frontCalls = new AtomicInteger();
  static io.grpc.ManagedChannel toNode;
  static final io.grpc.Context.Key<io.grpc.Metadata> HEADERS = io.grpc.Context.key("headers");

  /** Keeps each call's headers, so that the front delivers a write with its session like a node would. */
  static final class KeepHeaders implements io.grpc.ServerInterceptor {
    @Override
    public <Q, R> io.grpc.ServerCall.Listener<Q> interceptCall(io.grpc.ServerCall<Q, R> call, io.grpc.Metadata headers,
        io.grpc.ServerCallHandler<Q, R> next) {
      return io.grpc.Contexts.interceptCall(io.grpc.Context.current().withValue(HEADERS, headers), call, headers, next);
    }
  }

  /** The real node, called with the headers the front received. */
  static AdminServiceGrpc.AdminServiceBlockingStub delivered() {
    io.grpc.Metadata forwarded = new io.grpc.Metadata();
    io.grpc.Metadata received = HEADERS.get();
    for (String name : List.of("rr-session-id", "rr-session-seq", "rr-session-acked-below")) {
      io.grpc.Metadata.Key<String> key = io.grpc.Metadata.Key.of(name, io.grpc.Metadata.ASCII_STRING_MARSHALLER);
      if (received.get(key) != null) {
        forwarded.put(key, received.get(key));
      }
    }
    return AdminServiceGrpc.newBlockingStub(toNode)
        .withInterceptors(io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(forwarded));
  }

  @BeforeAll
  static void start() throws Exception {
    cluster = new LocalCluster(dir, 1, RaftSettings.defaults(), LocalCluster.quiet());
    direct = cluster.client();
    await().atMost(Duration.ofSeconds(30)).until(() -> cluster.readyLeader().isPresent());
    front = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(io.grpc.ServerInterceptors.intercept(new DeliverThenBreak(), new KeepHeaders())).build().start();
    toNode = io.grpc.ManagedChannelBuilder.forAddress("127.0.0.1", cluster.endpoint(0).port()).usePlaintext().build();
  }

  @AfterAll
  static void stop() throws Exception {
    if (front != null) {
      front.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (toNode != null) {
      toNode.shutdownNow();
    }
    cluster.close();
  }

  /**
   * Delivers the call, lets another writer move the register on, then fails the way a connection
   * closed by a killed or paused node does.
   */
  static final class DeliverThenBreak extends AdminServiceGrpc.AdminServiceImplBase {
    @Override
    public void openSession(org.ringrift.cluster.proto.OpenSessionRequest request,
        StreamObserver<org.ringrift.cluster.proto.SessionResult> response) {
      response.onNext(delivered().openSession(request));
      response.onCompleted();
    }

    @Override
    public void setConfig(SetConfigRequest request, StreamObserver<ConfigEntry> response) {
      frontCalls.incrementAndGet();
      delivered().setConfig(request);
      direct.setConfig(request.getKey(), "777");
      response.onError(Status.UNAVAILABLE.withDescription("Network closed for unknown reason").asRuntimeException());
    }

    @Override
    public void enqueue(EnqueueRequest request, StreamObserver<EnqueueResult> response) {
      frontCalls.incrementAndGet();
      delivered().enqueue(request);
      response.onError(Status.UNAVAILABLE.withDescription("Network closed for unknown reason").asRuntimeException());
    }

    @Override
    public void getConfig(GetConfigRequest request, StreamObserver<GetConfigResult> response) {
      frontCalls.incrementAndGet();
      response.onError(Status.UNAVAILABLE.withDescription("Network closed for unknown reason").asRuntimeException());
    }
  }

  private static Endpoint frontEndpoint() {
    return new Endpoint("127.0.0.1", front.getPort());
  }

  private static String value() {
    return direct.getConfig(KEY).get(0).getValue();
  }

  @Test
  void aWriteWhoseAnswerWasLostIsSentAgainAndAnsweredWithoutApplyingTwice() {
    try (ClusterClient client = new ClusterClient(List.of(frontEndpoint(), cluster.endpoint(0)), Duration.ofSeconds(20))) {
      int callsBefore = frontCalls.get();

      // A definite answer: the resend to the real node found the first copy's result.
      assertThat(client.setConfig(KEY, "1002").getValue()).isEqualTo("1002");
      // Applied once, then overwritten: a second apply of the resend would have brought 1002 back.
      assertThat(value()).isEqualTo("777");
      assertThat(frontCalls.get()).isEqualTo(callsBefore + 1);

      assertThat(client.setConfig(KEY, "1003").getValue()).isEqualTo("1003");
      assertThat(value()).isEqualTo("1003");
    }
  }

  @Test
  void readsAndKeyedEnqueuesStillMoveOnAfterABrokenConnection() {
    try (ClusterClient client = new ClusterClient(List.of(frontEndpoint(), cluster.endpoint(0)), Duration.ofSeconds(20))) {
      assertThat(client.getConfig(KEY)).hasSize(1);
    }
    try (ClusterClient client = new ClusterClient(List.of(frontEndpoint(), cluster.endpoint(0)), Duration.ofSeconds(20))) {
      EnqueueResult result = client.enqueue(EnqueueRequest.newBuilder().setType(WorkType.WORK_TYPE_SELFPLAY)
          .setPriority(50).setIdempotencyKey("delivery-once").build());
      // The front delivered it first; the copy sent on to the node found the key and created nothing.
      assertThat(result.getCreated()).isFalse();
      assertThat(direct.getItem(result.getItem().getId()).getIdempotencyKey()).isEqualTo("delivery-once");
    }
  }

  @Test
  void aWriteMovesOnWhenTheFirstNodeRefusesTheConnection() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    try (ClusterClient client = new ClusterClient(List.of(new Endpoint("127.0.0.1", closedPort), cluster.endpoint(0)),
        Duration.ofSeconds(20))) {
      assertThat(client.setConfig(KEY, "1004").getValue()).isEqualTo("1004");
    }
  }
}
