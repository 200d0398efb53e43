package org.ringrift.cluster.client;

import org.ringrift.cluster.contract.errors.ErrorKind;
import org.ringrift.cluster.contract.Endpoint;

import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;
import org.ringrift.cluster.proto.AdminServiceGrpc;
import org.ringrift.cluster.proto.AdminServiceGrpc.AdminServiceBlockingStub;
import org.ringrift.cluster.proto.Event;
import org.ringrift.cluster.proto.WatchEventsRequest;

/**
 * Calls that follow the leader: the leader a reply named first, then every endpoint from the last
 * one that answered, all within one overall deadline. Reads and deduplicated writes move on after
 * any unavailability; other writes only when they provably reached no node ({@link Delivery}).
 */
final class LeaderCalls {
  /** The shortest share of a deadline one attempt gets when other nodes remain to be tried. */
  static final long MIN_ATTEMPT_MS = 300;

  private final ChannelPool pool;
  private final Duration timeout;
  private final boolean followLeader;
  private final AtomicInteger preferred = new AtomicInteger();

  LeaderCalls(ChannelPool pool, Duration timeout, boolean followLeader) {
    this.pool = pool;
    this.timeout = timeout;
    this.followLeader = followLeader;
  }

  Duration timeout() {
    return timeout;
  }

  boolean followsLeader() {
    return followLeader;
  }

  /** A linearizable read of the replicated state: the leader first, when a reply named it. */
  <T> T read(Function<AdminServiceBlockingStub, T> rpc) {
    return call(Delivery.REPEATABLE, true, rpc);
  }

  /**
   * A change of the Raft configuration or leadership: not a replicated command, so no session can
   * deduplicate it; it moves to another node only when it provably reached none.
   */
  <T> T adminWrite(Function<AdminServiceBlockingStub, T> rpc) {
    return call(Delivery.AT_MOST_ONCE, true, rpc);
  }

  /**
   * {@code toLeader}: the call is about the replicated state, so the leader answers it in one hop.
   * Until its deadline the call goes round the nodes again (with a growing pause between rounds)
   * while every failure allowed it to move on: one round could end long before the deadline when
   * two nodes were silent for an attempt's share each, and a caller must not be told "unavailable"
   * while the cluster may still answer within the time it gave.
   */
  <T> T call(Delivery delivery, boolean toLeader, Function<AdminServiceBlockingStub, T> rpc) {
    Deadline deadline = Deadline.after(timeout.toMillis(), TimeUnit.MILLISECONDS);
    List<String> failures = new ArrayList<>();
    RoundPauses pauses = new RoundPauses();
    while (!deadline.isExpired()) {
      List<Endpoint> order = callOrder(toLeader && followLeader);
      for (Endpoint endpoint : order) {
        if (deadline.isExpired()) {
          break;
        }
        try {
          // A repeatable call must not spend the whole deadline on one node that went silent.
          Deadline attempt = delivery == Delivery.REPEATABLE ? attemptDeadline(deadline, order.size()) : deadline;
          T result = rpc.apply(stub(endpoint, attempt));
          answered(endpoint);
          return result;
        } catch (StatusRuntimeException e) {
          ClusterException failure = CallFailures.translate(e, endpoint);
          if (failure.kind() != ErrorKind.UNAVAILABLE) {
            throw failure;
          }
          forget(endpoint);
          if (!delivery.mayMoveOn(e)) {
            // This node may be cut off from the leader: the next call starts at another one.
            List<Endpoint> endpoints = pool.endpoints();
            preferred.set((Math.max(0, endpoints.indexOf(endpoint)) + 1) % endpoints.size());
            throw new ClusterException(ErrorKind.UNAVAILABLE, "outcome unknown: " + failure.getMessage()
                + " (the write may still be applied; it was not sent to another node, where it could apply twice)", e);
          }
          failures.add(failure.getMessage());
        }
      }
      if (!pauses.awaitNextRound(deadline)) {
        break;
      }
      pool.reconnectNow();
    }
    String recent = String.join("; ", failures.subList(Math.max(0, failures.size() - 4), failures.size()));
    throw new ClusterException(ErrorKind.UNAVAILABLE, "cluster unavailable within " + timeout.toMillis()
        + " ms: " + (failures.isEmpty() ? "deadline expired" : recent));
  }

  /** A call to one configured endpoint only, as that node sees it. */
  <T> T callOne(Endpoint endpoint, Function<AdminServiceBlockingStub, T> rpc) {
    if (pool.endpoints().indexOf(endpoint) < 0) {
      throw new IllegalArgumentException("not one of this client's endpoints");
    }
    try {
      // A call aimed at one node waits for its channel (it may be reconnecting after a restart)
      // until the deadline, instead of failing fast as a call that can move on does.
      return rpc.apply(stub(endpoint, Deadline.after(timeout.toMillis(), TimeUnit.MILLISECONDS)).withWaitForReady());
    } catch (StatusRuntimeException e) {
      throw CallFailures.translate(e, endpoint);
    }
  }

  /**
   * Follows events as the first reachable node applies them, until {@code handler} returns false
   * or the stream ends; the call has no overall deadline.
   */
  void watchEvents(WatchEventsRequest request, Predicate<Event> handler) {
    List<Endpoint> endpoints = pool.endpoints();
    for (int i = 0; i < endpoints.size(); i++) {
      Endpoint endpoint = endpoints.get((preferred.get() + i) % endpoints.size());
      Context.CancellableContext context = Context.current().withCancellation();
      try {
        context.run(() -> {
          Iterator<Event> stream = AdminServiceGrpc.newBlockingStub(pool.channel(endpoint)).watchEvents(request);
          while (stream.hasNext()) {
            if (!handler.test(stream.next())) {
              return;
            }
          }
        });
        return;
      } catch (StatusRuntimeException e) {
        ClusterException failure = CallFailures.translate(e, endpoint);
        if (failure.kind() != ErrorKind.UNAVAILABLE) {
          throw failure;
        }
      } finally {
        context.cancel(null);
      }
    }
    throw new ClusterException(ErrorKind.UNAVAILABLE, "no node reachable at " + endpoints + " to watch events");
  }

  /** The leader a reply named first (if wanted and known), then every endpoint from the last one that answered. */
  List<Endpoint> callOrder(boolean leaderFirst) {
    List<Endpoint> endpoints = pool.endpoints();
    List<Endpoint> order = new ArrayList<>(endpoints.size() + 1);
    if (leaderFirst) {
      pool.hints().latest().ifPresent(hint -> order.add(hint.endpoint()));
    }
    int start = preferred.get();
    for (int i = 0; i < endpoints.size(); i++) {
      Endpoint endpoint = endpoints.get((start + i) % endpoints.size());
      if (!order.contains(endpoint)) {
        order.add(endpoint);
      }
    }
    return order;
  }

  /**
   * One attempt's share of a call's deadline when other nodes could still answer: a third of the
   * timeout (at least {@link #MIN_ATTEMPT_MS}), so a node cut off mid-call leaves time for the rest.
   */
  Deadline attemptDeadline(Deadline overall, int candidates) {
    if (candidates <= 1) {
      return overall;
    }
    Deadline attempt = Deadline.after(Math.max(MIN_ATTEMPT_MS, timeout.toMillis() / 3), TimeUnit.MILLISECONDS);
    return attempt.isBefore(overall) ? attempt : overall;
  }

  AdminServiceBlockingStub stub(Endpoint endpoint, Deadline deadline) {
    return AdminServiceGrpc.newBlockingStub(pool.channel(endpoint)).withDeadline(deadline);
  }

  /** {@code endpoint} answered: the next call starts there (after a named leader). */
  void answered(Endpoint endpoint) {
    int index = pool.endpoints().indexOf(endpoint);
    if (index >= 0) {
      preferred.set(index);
    }
  }

  /** {@code endpoint} did not answer: a hint naming it is no longer followed. */
  /** See {@link ChannelPool#reconnectNow}. */
  void reconnectNow() {
    pool.reconnectNow();
  }

  void forget(Endpoint endpoint) {
    pool.hints().forget(endpoint);
  }
}
