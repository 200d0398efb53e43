package org.ringrift.cluster.node;

import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/** Calls an admin service method in-process and completes a future with its one answer. */
final class ConsoleCalls {
  private ConsoleCalls() {}

  static <Q, R> CompletableFuture<R> call(BiConsumer<Q, StreamObserver<R>> method, Q request) {
    CompletableFuture<R> result = new CompletableFuture<>();
    try {
      method.accept(request, observer(result));
    } catch (RuntimeException e) {
      result.completeExceptionally(e);
    }
    return result;
  }

  static <R> StreamObserver<R> observer(CompletableFuture<R> result) {
    return new StreamObserver<>() {
      private R value;

      @Override
      public void onNext(R next) {
        value = next;
      }

      @Override
      public void onError(Throwable error) {
        result.completeExceptionally(error);
      }

      @Override
      public void onCompleted() {
        result.complete(value);
      }
    };
  }
}
