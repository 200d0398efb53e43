package org.ringrift.cluster.node.admin;

import static io.grpc.stub.ServerCalls.asyncServerStreamingCall;
import static io.grpc.stub.ServerCalls.asyncUnaryCall;

import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.ringrift.cluster.contract.errors.ErrorKind;
import org.ringrift.cluster.contract.errors.Rejections;
import org.ringrift.cluster.daemons.node.EventHub;
import org.ringrift.cluster.node.guard.EdgeChecks;
import org.ringrift.cluster.proto.AdminServiceGrpc;
import org.ringrift.cluster.proto.Event;
import org.ringrift.cluster.proto.Query;
import org.ringrift.cluster.proto.QueryResult;
import org.ringrift.cluster.proto.RecentEventsRequest;
import org.ringrift.cluster.proto.RecentEventsResult;
import org.ringrift.cluster.proto.WatchEventsRequest;

/** The replicated event log: recent events (a read) and a live stream of them as this node applies them. */
public final class EventAdmin implements AdminArea {
  private final EventHub events;
  private final int maxWatchStreams;
  private final AdminCalls calls;
  private final AtomicInteger watchStreams = new AtomicInteger();

  public EventAdmin(EventHub events, int maxWatchStreams, AdminCalls calls) {
    this.events = events;
    this.maxWatchStreams = maxWatchStreams;
    this.calls = calls;
  }

  @Override
  public void bind(ServerServiceDefinition.Builder service) {
    service.addMethod(AdminServiceGrpc.getRecentEventsMethod(), asyncUnaryCall(this::recentEvents))
        .addMethod(AdminServiceGrpc.getWatchEventsMethod(), asyncServerStreamingCall(this::watchEvents));
  }

  public void recentEvents(RecentEventsRequest request, StreamObserver<RecentEventsResult> response) {
    calls.read(response, Query.newBuilder().setRecentEvents(request), QueryResult::getRecentEvents);
  }

  /**
   * Streams events as this node applies them. A watcher that cannot keep up (its transport is not
   * ready) loses events rather than growing a buffer; each event carries its seq, so gaps show.
   */
  public void watchEvents(WatchEventsRequest request, StreamObserver<Event> response) {
    if (!AdminCalls.edgeCheck(response, () -> EdgeChecks.text("type", request.getType(), EdgeChecks.MAX_NAME, false))) {
      return;
    }
    if (request.getAfterSeq() < 0) {
      response.onError(Rejections.toStatus(ErrorKind.INVALID_ARGUMENT, "after_seq: " + request.getAfterSeq()
          + " must be >= 0"));
      return;
    }
    if (watchStreams.incrementAndGet() > maxWatchStreams) {
      watchStreams.decrementAndGet();
      response.onError(Rejections.toStatus(ErrorKind.BACKPRESSURE, "watch streams: this node already serves "
          + "--admin-max-watch-streams " + maxWatchStreams + " watchers"));
      return;
    }
    ServerCallStreamObserver<Event> stream = (ServerCallStreamObserver<Event>) response;
    Object lock = new Object();
    // Never an event at or before after_seq: the router may hand over events applied just before.
    long[] lastSent = {request.getAfterSeq()};
    Consumer<Event> send = event -> {
      synchronized (lock) {
        boolean wanted = request.getType().isEmpty() || request.getType().equals(event.getType());
        if (wanted && event.getSeq() > lastSent[0] && !stream.isCancelled() && stream.isReady()) {
          stream.onNext(event);
          lastSent[0] = event.getSeq();
        }
      }
    };
    Runnable unsubscribe = events.subscribe(send);
    AtomicBoolean released = new AtomicBoolean();
    stream.setOnCancelHandler(() -> {
      unsubscribe.run();
      if (released.compareAndSet(false, true)) {
        watchStreams.decrementAndGet();
      }
    });
    if (request.getAfterSeq() > 0) {
      calls.replicated().read(Query.newBuilder().setRecentEvents(RecentEventsRequest.newBuilder()
              .setAfterSeq(request.getAfterSeq()).setLimit(1000)).build())
          .thenAccept(result -> result.getRecentEvents().getEventsList().forEach(send));
    }
  }
}
