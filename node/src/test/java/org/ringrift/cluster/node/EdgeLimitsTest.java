package org.ringrift.cluster.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ringrift.cluster.node.guard.EdgeLimits;
import org.ringrift.cluster.proto.AddMemberRequest;
import org.ringrift.cluster.proto.AdminServiceGrpc;
import org.ringrift.cluster.proto.DigestRequest;
import org.ringrift.cluster.proto.EnqueueRequest;
import org.ringrift.cluster.proto.Event;
import org.ringrift.cluster.proto.StatusRequest;
import org.ringrift.cluster.proto.WatchEventsRequest;
import org.ringrift.cluster.proto.WorkType;
import org.ringrift.cluster.raft.RaftSettings;

/** The admin edge's limits on a real node: rate per caller, message and header sizes, watch streams, read-only HTTP. */
class EdgeLimitsTest {
  private static final int RATE = 50;
  private static final int MAX_MESSAGE = 256 * 1024;
  private static final int MAX_WATCHES = 2;

  @TempDir static Path dir;
  static LocalCluster cluster;
  static ManagedChannel channel;
  static AdminServiceGrpc.AdminServiceBlockingStub admin;

  @BeforeAll
  static void start() throws Exception {
    EdgeLimits edge = new EdgeLimits(MAX_MESSAGE, 8 * 1024, RATE, RATE, 100, 50, MAX_WATCHES, Duration.ofMinutes(1),
        8 * 1024, Duration.ofSeconds(2), 0);
    cluster = new LocalCluster(dir, 1, RaftSettings.defaults(), LocalCluster.quiet(), edge);
    await().atMost(Duration.ofSeconds(30)).until(() -> cluster.readyLeader().isPresent());
    channel = NettyChannelBuilder.forAddress("127.0.0.1", cluster.endpoint(0).port()).usePlaintext()
        .maxInboundMessageSize(16 << 20).build();
    admin = AdminServiceGrpc.newBlockingStub(channel);
  }

  @AfterAll
  static void stop() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    cluster.close();
  }

  private static AdminServiceGrpc.AdminServiceBlockingStub admin() {
    return admin.withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  /** Waits until the caller's bucket has refilled enough for a call to pass. */
  private static void awaitServed() {
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> admin().status(
        StatusRequest.getDefaultInstance()) != null);
  }

  @Test
  void aCallerOverTheRateGetsResourceExhaustedNamingTheLimitAndItIsCounted() throws Exception {
    awaitServed();
    List<Status> refused = new ArrayList<>();
    for (int i = 0; i < 4 * RATE; i++) {
      try {
        admin().status(StatusRequest.getDefaultInstance());
      } catch (StatusRuntimeException e) {
        refused.add(e.getStatus());
      }
    }
    assertThat(refused).isNotEmpty();
    assertThat(refused).allSatisfy(s -> {
      assertThat(s.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
      assertThat(s.getDescription()).contains("--admin-rate-limit " + (double) RATE).contains("burst");
    });
    assertThat(http("/metrics").body()).containsPattern(
        "ringrift_admin_rate_limited_calls_total\\{reason=\"over_rate\",?\\} [1-9]");
    awaitServed(); // and the caller is served again once it slows down
  }

  @Test
  void aMessageOverTheLimitIsRefusedAndChangesNothing() {
    awaitServed();
    String before = admin().getDigest(DigestRequest.getDefaultInstance()).getDigest();
    EnqueueRequest big = EnqueueRequest.newBuilder().setType(WorkType.WORK_TYPE_SELFPLAY)
        .setPayload(ByteString.copyFrom(new byte[MAX_MESSAGE + 1])).build();
    assertThatThrownBy(() -> admin().enqueue(big)).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
      assertThat(e.getStatus().getDescription()).contains(Integer.toString(MAX_MESSAGE));
    });
    awaitServed();
    assertThat(admin().getDigest(DigestRequest.getDefaultInstance()).getDigest()).isEqualTo(before);
  }

  @Test
  void headersOverTheLimitAreRefusedAndTheNodeKeepsServing() {
    awaitServed();
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("x-junk", Metadata.ASCII_STRING_MARSHALLER), "j".repeat(16 * 1024));
    assertThatThrownBy(() -> admin().withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
        .status(StatusRequest.getDefaultInstance())).isInstanceOf(StatusRuntimeException.class);
    awaitServed();
  }

  @Test
  void oversizedAdminOnlyFieldsAreRefusedWithoutEchoingThem() {
    awaitServed();
    String longId = "x".repeat(100_000);
    assertThatThrownBy(() -> admin().addMember(AddMemberRequest.newBuilder().setId(longId)
        .setAddress("127.0.0.1:1").build())).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(e.getStatus().getDescription()).isEqualTo("id: length 100000 is over the limit of 128");
        });
  }

  @Test
  void watchStreamsAreBounded() {
    awaitServed();
    AdminServiceGrpc.AdminServiceStub async = AdminServiceGrpc.newStub(channel);
    List<io.grpc.Context.CancellableContext> open = new ArrayList<>();
    try {
      for (int i = 0; i < MAX_WATCHES; i++) {
        io.grpc.Context.CancellableContext context = io.grpc.Context.current().withCancellation();
        open.add(context);
        context.run(() -> async.watchEvents(WatchEventsRequest.getDefaultInstance(), new NoOp()));
      }
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        Iterator<Event> refused = admin().watchEvents(WatchEventsRequest.getDefaultInstance());
        assertThatThrownBy(refused::hasNext).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
          assertThat(e.getStatus().getDescription()).contains("--admin-max-watch-streams " + MAX_WATCHES);
        });
      });
    } finally {
      open.forEach(c -> c.cancel(null));
    }
    // Cancelled watchers give their slots back.
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      io.grpc.Context.CancellableContext context = io.grpc.Context.current().withCancellation();
      try {
        Iterator<Event> served = context.call(() -> admin.withDeadlineAfter(300, TimeUnit.MILLISECONDS)
            .watchEvents(WatchEventsRequest.getDefaultInstance()));
        assertThatThrownBy(served::hasNext).isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
      } finally {
        context.cancel(null);
      }
    });
  }

  @Test
  void httpIsReadOnly() throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    for (String method : List.of("POST", "PUT", "DELETE", "PATCH")) {
      HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri("/status"))
          .method(method, HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(method).isEqualTo(405);
      assertThat(response.body()).contains("read-only");
    }
    assertThat(http("/status").statusCode()).isEqualTo(200);
  }

  private static URI uri(String path) {
    return URI.create("http://127.0.0.1:" + cluster.httpPort(0) + path);
  }

  private static HttpResponse<String> http(String path) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri(path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static final class NoOp implements io.grpc.stub.StreamObserver<Event> {
    @Override public void onNext(Event value) {}
    @Override public void onError(Throwable t) {}
    @Override public void onCompleted() {}
  }
}
