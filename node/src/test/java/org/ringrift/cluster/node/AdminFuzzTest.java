package org.ringrift.cluster.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Message;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.ringrift.cluster.daemons.sync.DatasetSpec;
import org.ringrift.cluster.daemons.sync.SyncSettings;
import org.ringrift.cluster.proto.AdminServiceGrpc;
import org.ringrift.cluster.proto.AddMemberRequest;
import org.ringrift.cluster.proto.DigestRequest;
import org.ringrift.cluster.proto.DigestResult;
import org.ringrift.cluster.proto.PeerServiceGrpc;
import org.ringrift.cluster.proto.StatusRequest;
import org.ringrift.cluster.raft.RaftSettings;

/**
 * Hostile input against a real node (Ratis, RocksDB, gRPC and HTTP on loopback): random field
 * values for every admin and peer RPC, undecodable bytes on every method, and garbage on the raw
 * admin and HTTP sockets. Every call must end with a clean status (never UNKNOWN or INTERNAL,
 * which mean an exception escaped), the node must keep serving, and a rejected call must leave
 * the state digest as it was. Tries: -Dfuzz.tries=N (default in node/pom.xml); a failure prints
 * jqwik's seed, which {@code @Property(seed = "...")} replays.
 */
class AdminFuzzTest {
  /** Codes a handled rejection may carry. */
  private static final Set<Status.Code> CLEAN = Set.of(Status.Code.OK, Status.Code.INVALID_ARGUMENT,
      Status.Code.NOT_FOUND, Status.Code.FAILED_PRECONDITION, Status.Code.OUT_OF_RANGE, Status.Code.RESOURCE_EXHAUSTED,
      Status.Code.ALREADY_EXISTS, Status.Code.ABORTED);
  private static final int MAX_MESSAGE = 1 << 20;

  private static Path dir;
  private static LocalCluster cluster;
  private static ManagedChannel channel;
  private static AdminServiceGrpc.AdminServiceBlockingStub admin;
  private static final MessageArbitraries MESSAGES = new MessageArbitraries(MAX_MESSAGE + 1);

  /** One RPC of the admin or peer service and a request for it. */
  record Call(MethodDescriptor<Message, Message> method, Message request) {
    @Override
    public String toString() {
      String text = request.toString();
      return method.getBareMethodName() + " " + (text.length() > 300 ? text.substring(0, 300) + "..." : text);
    }
  }

  @BeforeContainer
  static void start() throws Exception {
    dir = Files.createTempDirectory("fuzz");
    Files.createDirectories(dir.resolve("n1/models"));
    Files.write(dir.resolve("n1/models/a.pt"), new byte[100_000]);
    // Every daemon interval an hour: once started, nothing but the fuzzer writes to the log.
    DaemonSettings silent = new DaemonSettings(Duration.ofHours(1), Duration.ofHours(1), Duration.ofHours(1),
        Duration.ofHours(1), Duration.ofMillis(500), List.of("voter"), List.of(), false, java.util.Map.of(), 2,
        Duration.ofSeconds(5));
    org.ringrift.cluster.node.guard.EdgeLimits edge = org.ringrift.cluster.node.guard.EdgeLimits.defaults();
    edge = new org.ringrift.cluster.node.guard.EdgeLimits(MAX_MESSAGE, edge.maxMetadataBytes(), edge.callsPerSecond(),
        edge.callBurst(), edge.maxTrackedCallers(), edge.maxConcurrentCallsPerConnection(), edge.maxWatchStreams(),
        edge.connectionIdle(), edge.maxHttpRequestBytes(), edge.httpReadTimeout(), edge.dataDiskReserveBytes());
    cluster = new LocalCluster(dir, 1, RaftSettings.defaults(), i -> silent,
        i -> SyncSettings.defaults(dir.resolve("n1"), List.of(DatasetSpec.parse("models=model:models"))),
        i -> java.util.function.UnaryOperator.identity(), edge);
    channel = NettyChannelBuilder.forAddress("127.0.0.1", cluster.endpoint(0).port()).usePlaintext()
        .maxInboundMessageSize(64 << 20).build();
    admin = AdminServiceGrpc.newBlockingStub(channel);
    await().atMost(Duration.ofSeconds(30)).until(() -> cluster.readyLeader().isPresent());
    awaitQuiet();
  }

  @AfterContainer
  static void stop() throws Exception {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Provide
  Arbitrary<Call> calls() {
    List<Arbitrary<Call>> perMethod = new ArrayList<>();
    for (MethodDescriptor<Message, Message> method : methods()) {
      perMethod.add(MESSAGES.of(prototype(method)).map(request -> new Call(method, defang(method, request))));
    }
    return Arbitraries.oneOf(perMethod);
  }

  @Provide
  Arbitrary<MethodDescriptor<Message, Message>> method() {
    return Arbitraries.of(methods());
  }

  @Provide
  Arbitrary<byte[]> garbage() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(2048);
  }

  // Edge cases off: jqwik's would pile onto the first method; the value generators carry their own.
  @Property(edgeCases = EdgeCasesMode.NONE)
  void everyRpcAnswersRandomRequestsCleanly(@ForAll("calls") Call call) {
    DigestResult before = digest();
    Status status = invoke(call.method(), call.request());
    Statistics.label("answers").collect(call.method().getBareMethodName(), status.getCode());
    Statistics.label("codes").collect(status.getCode());
    assertClean(call.toString(), status);
    assertServing();
    if (status.isOk()) {
      awaitQuiet();
    } else {
      assertThat(digest()).as("a rejected %s changed the state", call).isEqualTo(before);
    }
  }

  @Property
  void undecodableRequestBytesGetACleanError(@ForAll("method") MethodDescriptor<Message, Message> method,
      @ForAll("garbage") byte[] bytes) {
    DigestResult before = digest();
    Status status = invoke(raw(method), bytes);
    Statistics.label("codes").collect(status.getCode());
    assertClean(method.getBareMethodName() + " with " + bytes.length + " random bytes", status);
    assertServing();
    if (status.isOk()) {
      awaitQuiet();
    } else {
      assertThat(digest()).isEqualTo(before);
    }
  }

  @Property
  void garbageOnTheRawSocketsLeavesTheNodeServing(@ForAll("garbage") byte[] bytes, @ForAll boolean http)
      throws IOException {
    DigestResult before = digest();
    int port = http ? cluster.httpPort(0) : cluster.endpoint(0).port();
    byte[] answer;
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      out.write(bytes);
      out.flush();
      socket.shutdownOutput();
      answer = readAll(socket.getInputStream());
    }
    if (http && answer.length > 0) {
      assertThat(new String(answer, 0, Math.min(answer.length, 12), java.nio.charset.StandardCharsets.US_ASCII))
          .as("HTTP answer to garbage").matches("HTTP/1\\.1 4\\d\\d");
    }
    assertServing();
    assertThat(digest()).isEqualTo(before);
  }

  // ---- helpers ----

  @SuppressWarnings("unchecked")
  private static List<MethodDescriptor<Message, Message>> methods() {
    List<MethodDescriptor<Message, Message>> all = new ArrayList<>();
    for (io.grpc.ServiceDescriptor service : List.of(AdminServiceGrpc.getServiceDescriptor(),
        PeerServiceGrpc.getServiceDescriptor())) {
      service.getMethods().forEach(m -> all.add((MethodDescriptor<Message, Message>) m));
    }
    return all;
  }

  private static Message prototype(MethodDescriptor<Message, Message> method) {
    return (Message) ((MethodDescriptor.PrototypeMarshaller<Message>) method.getRequestMarshaller())
        .getMessagePrototype();
  }

  /**
   * A valid AddMember would add a voter that never answers and take the one-node cluster's quorum
   * away: a correct outcome, but not one this test can keep checking after.
   */
  private static Message defang(MethodDescriptor<Message, Message> method, Message request) {
    if (request instanceof AddMemberRequest add && !add.getListener()) {
      return add.toBuilder().setAddress(add.getAddress() + ":x").build();
    }
    return request;
  }

  /** Runs one call; a streaming call is read until it ends or its short deadline passes. */
  private static <Q, R> Status invoke(MethodDescriptor<Q, R> method, Q request) {
    boolean streaming = method.getType() == MethodDescriptor.MethodType.SERVER_STREAMING;
    CallOptions options = CallOptions.DEFAULT.withDeadlineAfter(streaming ? 500 : 30_000, TimeUnit.MILLISECONDS);
    try {
      if (streaming) {
        Iterator<R> it = ClientCalls.blockingServerStreamingCall(channel, method, options, request);
        for (int n = 0; n < 10_000 && it.hasNext(); n++) {
          it.next();
        }
      } else {
        ClientCalls.blockingUnaryCall(channel, method, options, request);
      }
      return Status.OK;
    } catch (StatusRuntimeException e) {
      if (streaming && e.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED) {
        return Status.OK; // a watch that was accepted and had nothing more to say
      }
      return e.getStatus();
    }
  }

  private static MethodDescriptor<byte[], byte[]> raw(MethodDescriptor<Message, Message> method) {
    return method.toBuilder(BYTES, BYTES).build();
  }

  private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
  };

  private static void assertClean(String what, Status status) {
    assertThat(CLEAN).as("%s answered %s: %s", what, status.getCode(), status.getDescription())
        .contains(status.getCode());
    if (!status.isOk()) {
      assertThat(status.getDescription()).as("%s: the error says what is wrong", what).isNotBlank();
      assertThat(status.getDescription().length()).as("%s: error length", what).isLessThan(2048);
    }
  }

  private static void assertServing() {
    await().atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO).ignoreExceptions()
        .until(() -> admin.withDeadlineAfter(5, TimeUnit.SECONDS).status(StatusRequest.getDefaultInstance())
            .getLeaderReady());
  }

  private static DigestResult digest() {
    DigestResult result = admin.withDeadlineAfter(10, TimeUnit.SECONDS).getDigest(DigestRequest.getDefaultInstance());
    return result.toBuilder().clearAppliedIndex().clearAppliedTerm().build();
  }

  /** Until two digests a poll apart agree: whatever an accepted call set going has finished. */
  private static void awaitQuiet() {
    AtomicReference<DigestResult> last = new AtomicReference<>();
    await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
        .until(() -> {
          DigestResult now = digest();
          return now.equals(last.getAndSet(now));
        });
  }

  private static byte[] readAll(InputStream in) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    byte[] buffer = new byte[4096];
    try {
      for (int n; out.size() < 1 << 20 && (n = in.read(buffer)) >= 0; ) {
        out.write(buffer, 0, n);
      }
    } catch (IOException e) {
      // reset or timed out: the node may drop a garbage connection any way it likes
    }
    return out.toByteArray();
  }
}
