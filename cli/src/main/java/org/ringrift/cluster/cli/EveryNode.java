package org.ringrift.cluster.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.ringrift.cluster.client.ClusterClient;
import org.ringrift.cluster.client.ClusterException;
import org.ringrift.cluster.contract.Endpoint;
import org.ringrift.cluster.contract.errors.ErrorKind;

/**
 * The per-node calls of the --all commands: every endpoint is asked at once and the whole call
 * ends within one --timeout, so down nodes cost one timeout, not one each.
 */
final class EveryNode {
  /** One endpoint's answer: its value, or why it gave none. */
  record Answer<T>(Endpoint endpoint, T value, String error) {
    boolean reachable() {
      return value != null;
    }
  }

  private EveryNode() {}

  static <T> List<Answer<T>> ask(ClusterClient client, Duration timeout, Function<Endpoint, T> call) {
    List<Endpoint> endpoints = client.endpoints();
    ExecutorService pool = Executors.newFixedThreadPool(endpoints.size(), task -> {
      Thread thread = new Thread(task, "rrctl-every-node");
      thread.setDaemon(true);
      return thread;
    });
    try {
      List<Future<T>> futures = endpoints.stream().map(e -> pool.submit(() -> call.apply(e))).toList();
      long deadline = System.nanoTime() + timeout.toNanos();
      List<Answer<T>> answers = new ArrayList<>();
      for (int i = 0; i < endpoints.size(); i++) {
        Endpoint endpoint = endpoints.get(i);
        try {
          long leftNanos = Math.max(0, deadline - System.nanoTime());
          answers.add(new Answer<>(endpoint, futures.get(i).get(leftNanos, TimeUnit.NANOSECONDS), null));
        } catch (TimeoutException e) {
          futures.get(i).cancel(true);
          answers.add(new Answer<>(endpoint, null, "no answer within " + timeout.toMillis() + " ms"));
        } catch (ExecutionException e) {
          answers.add(new Answer<>(endpoint, null, e.getCause().getMessage()));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new ClusterException(ErrorKind.UNAVAILABLE, "interrupted");
        }
      }
      return answers;
    } finally {
      pool.shutdownNow();
    }
  }

  /** Exit 3 after the table when no endpoint answered: the cluster is unavailable from here. */
  static void requireOneAnswer(List<? extends Answer<?>> answers, Duration timeout) {
    if (answers.stream().noneMatch(Answer::reachable)) {
      throw new ClusterException(ErrorKind.UNAVAILABLE, "none of the " + answers.size()
          + " endpoints answered within " + timeout.toMillis() + " ms: "
          + String.join("; ", answers.stream().map(a -> a.endpoint() + ": " + a.error()).toList()));
    }
  }

  /** The start of a node's row or object: node_id (null when unreachable), endpoint, reachable. */
  static Map<String, Object> head(String nodeId, Answer<?> answer) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("node_id", nodeId);
    row.put("endpoint", answer.endpoint().toString());
    row.put("reachable", answer.reachable());
    if (!answer.reachable()) {
      row.put("error", answer.error());
    }
    return row;
  }
}
