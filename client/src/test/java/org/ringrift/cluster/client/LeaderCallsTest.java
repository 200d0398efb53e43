package org.ringrift.cluster.client;

import org.ringrift.cluster.contract.errors.ErrorKind;
import org.ringrift.cluster.contract.Endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Deadline;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ringrift.cluster.contract.tls.TlsChannels;
import org.ringrift.cluster.proto.StatusRequest;

/** The leader-following call machinery against loopback ports where nothing listens. */
class LeaderCallsTest {
  private final List<ChannelPool> pools = new ArrayList<>();

  @AfterEach
  void close() {
    pools.forEach(ChannelPool::close);
  }

  private LeaderCalls calls(List<Endpoint> endpoints, Duration timeout) {
    ChannelPool pool = new ChannelPool(endpoints, TlsChannels.plaintext());
    pools.add(pool);
    return new LeaderCalls(pool, timeout, true);
  }

  /** A loopback port nothing listens on (it was free a moment ago). */
  private static Endpoint closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return new Endpoint("127.0.0.1", socket.getLocalPort());
    }
  }

  @Test
  void theNextCallStartsAtTheEndpointThatAnsweredLast() throws IOException {
    Endpoint a = closedPort();
    Endpoint b = closedPort();
    Endpoint c = closedPort();
    LeaderCalls calls = calls(List.of(a, b, c), Duration.ofSeconds(1));
    assertThat(calls.callOrder(true)).containsExactly(a, b, c);
    calls.answered(b);
    assertThat(calls.callOrder(true)).containsExactly(b, c, a);
  }

  @Test
  void anAttemptGetsAThirdOfTheTimeoutOnlyWhenAnotherNodeCouldStillAnswer() throws IOException {
    LeaderCalls calls = calls(List.of(closedPort()), Duration.ofSeconds(9));
    Deadline overall = Deadline.after(9, TimeUnit.SECONDS);
    assertThat(calls.attemptDeadline(overall, 1)).isSameAs(overall);
    long attemptMs = calls.attemptDeadline(overall, 3).timeRemaining(TimeUnit.MILLISECONDS);
    assertThat(attemptMs).isBetween(2_000L, 3_000L);
  }

  @Test
  void aWriteThatReachedNoNodeMovesOnToEveryEndpoint() throws IOException {
    Endpoint a = closedPort();
    Endpoint b = closedPort();
    LeaderCalls calls = calls(List.of(a, b), Duration.ofSeconds(5));
    assertThatThrownBy(() -> calls.adminWrite(stub -> stub.status(StatusRequest.getDefaultInstance())))
        .isInstanceOfSatisfying(ClusterException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE))
        .hasMessageStartingWith("cluster unavailable within 5000 ms")
        .hasMessageContaining(a.toString()).hasMessageContaining(b.toString());
  }

  /**
   * A node that comes up while a read is going round still answers it: the call goes round the
   * nodes again until its deadline instead of giving up after one round of refusals.
   */
  @Test
  void aReadGoesRoundAgainUntilANodeAnswersWithinItsDeadline() throws Exception {
    Endpoint down = closedPort();
    Endpoint later = closedPort();
    LeaderCalls calls = calls(List.of(down, later), Duration.ofSeconds(10));
    java.util.concurrent.ScheduledExecutorService starter = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
    java.util.concurrent.atomic.AtomicReference<io.grpc.Server> server = new java.util.concurrent.atomic.AtomicReference<>();
    try {
      // The node comes up 300 ms into the call: the first round (two refused connections) is long over.
      starter.schedule(() -> {
        server.set(io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder
            .forAddress(new java.net.InetSocketAddress("127.0.0.1", later.port()))
            .addService(new org.ringrift.cluster.proto.AdminServiceGrpc.AdminServiceImplBase() {
              @Override
              public void status(StatusRequest request,
                  io.grpc.stub.StreamObserver<org.ringrift.cluster.proto.NodeStatus> response) {
                response.onNext(org.ringrift.cluster.proto.NodeStatus.newBuilder().setNodeId("late").build());
                response.onCompleted();
              }
            }).build());
        server.get().start();
        return null;
      }, 300, TimeUnit.MILLISECONDS);
      assertThat(calls.read(stub -> stub.status(StatusRequest.getDefaultInstance())).getNodeId()).isEqualTo("late");
    } finally {
      starter.shutdownNow();
      if (server.get() != null) {
        server.get().shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void aCallToOneNodeMustNameAConfiguredEndpoint() throws IOException {
    LeaderCalls calls = calls(List.of(closedPort()), Duration.ofSeconds(1));
    Endpoint other = closedPort();
    assertThatThrownBy(() -> calls.callOne(other, stub -> stub.status(StatusRequest.getDefaultInstance())))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("not one of this client's endpoints");
  }

  @Test
  void extraLeaderChannelsAreBoundedAndARefusedOneWasNeverSent() throws IOException {
    ChannelPool pool = new ChannelPool(List.of(closedPort()), TlsChannels.plaintext());
    pools.add(pool);
    for (int i = 0; i < ChannelPool.MAX_EXTRA_CHANNELS; i++) {
      pool.channel(new Endpoint("127.0.0.1", 20_000 + i));
    }
    assertThatThrownBy(() -> pool.channel(new Endpoint("127.0.0.1", 30_000)))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(Delivery.neverSent(e)).isTrue())
        .hasMessageContaining("already holds " + ChannelPool.MAX_EXTRA_CHANNELS + " extra channels");
  }
}
