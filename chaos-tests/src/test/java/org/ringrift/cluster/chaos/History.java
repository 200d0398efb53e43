package org.ringrift.cluster.chaos;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.ringrift.cluster.client.ClusterException;
import org.ringrift.cluster.contract.errors.ErrorKind;

/**
 * The recorded client history: every operation with its invoke and return time (nanoseconds since
 * the run started), its outcome and what it returned. Thread safe; bounded by the run's op limit.
 */
final class History {
  enum Outcome { OK, FAIL, UNKNOWN }

  /** One operation. {@code value} is the written or read value, {@code item}/{@code token} what it is about. */
  record Op(int id, String process, String type, String key, long invokeNanos, long returnNanos, Outcome outcome,
      String value, String item, String token, String error, Map<String, Object> extra) {}

  private final long startNanos = System.nanoTime();
  private final List<Op> ops = new ArrayList<>();
  private final AtomicInteger ids = new AtomicInteger();
  private final int maxOps;

  History(int maxOps) {
    this.maxOps = maxOps;
  }

  long now() {
    return System.nanoTime() - startNanos;
  }

  boolean full() {
    return ids.get() >= maxOps;
  }

  synchronized void add(Op op) {
    ops.add(op);
  }

  synchronized List<Op> ops() {
    return List.copyOf(ops);
  }

  /** A note in the history (a fault injected or healed): type "nemesis", outcome OK. */
  void note(String what) {
    long t = now();
    add(new Op(ids.getAndIncrement(), "nemesis", "nemesis", "", t, t, Outcome.OK, what, "", "", "", Map.of()));
  }

  /** What one call returned, filled in by the recorded call. */
  static final class Result {
    String value = "";
    String item = "";
    String token = "";
    final Map<String, Object> extra = new LinkedHashMap<>();
  }

  /** A definite rejection leaves the state unchanged; anything else may or may not have happened. */
  static Outcome outcomeOf(ClusterException e) {
    return switch (e.kind()) {
      case INVALID_ARGUMENT, NOT_FOUND, STALE_TOKEN, FENCED, FAILED_PRECONDITION, BACKPRESSURE, PERMISSION_DENIED,
          SESSION_EXPIRED -> Outcome.FAIL;
      case UNAVAILABLE, ERROR -> Outcome.UNKNOWN;
    };
  }

  /**
   * Runs {@code call}, recording it. The call fills in {@code result}; the returned op carries the
   * outcome. A {@link ClusterException} becomes FAIL or UNKNOWN by its kind (see
   * {@link #outcomeOf}); any other exception is UNKNOWN.
   */
  Op record(String process, String type, String key, String value, String item, String token,
      java.util.function.Consumer<Result> call) {
    int id = ids.getAndIncrement();
    long invoke = now();
    Result result = new Result();
    result.value = value;
    result.item = item;
    result.token = token;
    Outcome outcome;
    String error = "";
    try {
      call.accept(result);
      outcome = Outcome.OK;
    } catch (ClusterException e) {
      outcome = outcomeOf(e);
      error = e.kind() + ": " + e.getMessage();
    } catch (RuntimeException e) {
      outcome = Outcome.UNKNOWN;
      error = e.toString();
    }
    Op op = new Op(id, process, type, key, invoke, now(), outcome, result.value, result.item, result.token, error,
        Map.copyOf(result.extra));
    add(op);
    return op;
  }

  static boolean isKind(Op op, ErrorKind kind) {
    return op.error().startsWith(kind.name() + ":");
  }

  void writeJson(Path file) throws IOException {
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    mapper.writeValue(file.toFile(), ops());
  }
}
