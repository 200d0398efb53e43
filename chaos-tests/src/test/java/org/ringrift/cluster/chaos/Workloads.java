package org.ringrift.cluster.chaos;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.ringrift.cluster.client.ClusterClient;
import org.ringrift.cluster.contract.Endpoint;
import org.ringrift.cluster.contract.tls.TlsChannels;
import org.ringrift.cluster.proto.ClaimRequest;
import org.ringrift.cluster.proto.ClaimResult;
import org.ringrift.cluster.proto.CompleteRequest;
import org.ringrift.cluster.proto.ConfigEntry;
import org.ringrift.cluster.proto.EnqueueRequest;
import org.ringrift.cluster.proto.EnqueueResult;
import org.ringrift.cluster.proto.ExtendRequest;
import org.ringrift.cluster.proto.LeaseToken;
import org.ringrift.cluster.proto.WorkItem;
import org.ringrift.cluster.proto.WorkType;

/**
 * The client processes of a run, each a thread with its own {@link ClusterClient} and its own
 * random stream (derived from the run's seed), all recording into one {@link History}.
 */
final class Workloads {
  /** Integer config registers the register clients write and read (range 10 and up). */
  static final List<String> REGISTERS = List.of("events.max_history", "sync.max_history", "populator.max_per_cycle");
  static final WorkType TYPE = WorkType.WORK_TYPE_SELFPLAY;
  static final long LEASE_MS = 2_000;
  static final int MAX_ATTEMPTS = 3;
  static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(3);
  /**
   * One register per writer (a work type's default timeout: no item of those types is ever
   * enqueued, so the values change nothing), written with values unique per write from
   * {@link #WRITER_FIRST_VALUE} on. Nobody else writes them.
   */
  static final List<String> WRITER_REGISTERS = List.of("queue.timeout_ms.data_merge", "queue.timeout_ms.validation");
  static final String WRITER_INITIAL = "1000";
  static final long WRITER_FIRST_VALUE = 1_000_000;

  private Workloads() {}

  /**
   * How every client of a run is built: with sessions (the product: writes exactly once), or
   * without (the old at-most-once client, kept as a deliberately broken build).
   */
  interface Clients {
    ClusterClient of(List<Endpoint> endpoints);

    static Clients withSessions() {
      return endpoints -> new ClusterClient(endpoints, CLIENT_TIMEOUT);
    }

    static Clients withoutSessions() {
      return endpoints -> ClusterClient.withoutSessions(endpoints, CLIENT_TIMEOUT, TlsChannels.plaintext());
    }
  }

  static String token(LeaseToken token) {
    return token.getTerm() + "." + token.getSequence();
  }

  /** Reads and writes of the config registers; written values are unique per register. */
  static Runnable registers(String name, List<Endpoint> endpoints, History history, Random random,
      AtomicLong[] nextValue, BooleanSupplier running, Clients clients) {
    return () -> {
      try (ClusterClient client = clients.of(endpoints)) {
        while (running.getAsBoolean() && !history.full()) {
          int k = random.nextInt(REGISTERS.size());
          String key = REGISTERS.get(k);
          if (random.nextBoolean()) {
            String value = Long.toString(nextValue[k].getAndIncrement());
            history.record(name, "write", key, value, "", "", r -> client.setConfig(key, value));
          } else {
            history.record(name, "read", key, "", "", "", r -> {
              List<ConfigEntry> entries = client.getConfig(key);
              r.value = entries.stream().filter(e -> e.getKey().equals(key)).findFirst()
                  .map(ConfigEntry::getValue).orElse("<missing>");
            });
          }
        }
      }
    };
  }

  /** Enqueues with idempotency keys; one in five re-sends a key it already sent. */
  static Runnable producer(String name, List<Endpoint> endpoints, History history, Random random,
      BooleanSupplier running, Clients clients) {
    return () -> {
      List<String> sent = new ArrayList<>();
      int n = 0;
      try (ClusterClient client = clients.of(endpoints)) {
        while (running.getAsBoolean() && !history.full()) {
          String key = !sent.isEmpty() && random.nextInt(5) == 0
              ? sent.get(random.nextInt(sent.size())) : name + "-" + n++;
          if (!sent.contains(key)) {
            sent.add(key);
          }
          EnqueueRequest request = EnqueueRequest.newBuilder().setType(TYPE).setIdempotencyKey(key)
              .setMaxAttempts(MAX_ATTEMPTS).setPayload(ByteString.copyFromUtf8("{\"k\":\"" + key + "\"}")).build();
          history.record(name, "enqueue", key, "", "", "", r -> {
            EnqueueResult result = client.enqueue(request);
            r.item = result.getItem().getId();
            r.extra.put("created", result.getCreated());
          });
          pace(5);
        }
      }
    };
  }

  /**
   * Writes that nothing but the client's session can deduplicate, so a write applied twice shows
   * in the final state (see {@link ExactlyOnceChecker}): enqueues without an idempotency key
   * whose payload is unique per write (ClusterClient gives such an enqueue an "auto-" key of its
   * own, so this checks that path), and writes of this writer's own register with a unique value
   * each (each applied write leaves one CONFIG_CHANGED event; a second apply would also bring an
   * old value back, which the register checker sees in this writer's reads).
   */
  static Runnable writer(String name, String register, List<Endpoint> endpoints, History history, Random random,
      BooleanSupplier running, Clients clients) {
    return () -> {
      long n = 0;
      long value = WRITER_FIRST_VALUE;
      try (ClusterClient client = clients.of(endpoints)) {
        while (running.getAsBoolean() && !history.full()) {
          int choice = random.nextInt(10);
          if (choice < 4) {
            String tag = name + "-" + n++;
            EnqueueRequest request = EnqueueRequest.newBuilder().setType(TYPE).setMaxAttempts(MAX_ATTEMPTS)
                .setPayload(ByteString.copyFromUtf8(ExactlyOnceChecker.payload(tag))).build();
            history.record(name, "enqueue-unkeyed", tag, "", "", "", r -> r.item = client.enqueue(request).getItem().getId());
          } else if (choice < 8) {
            String written = Long.toString(value++);
            history.record(name, "write", register, written, "", "", r -> client.setConfig(register, written));
          } else {
            history.record(name, "read", register, "", "", "", r -> r.value = client.getConfig(register).stream()
                .filter(e -> e.getKey().equals(register)).findFirst().map(ConfigEntry::getValue).orElse("<missing>"));
          }
          pace(5);
        }
      }
    };
  }

  private record Held(String item, LeaseToken token, long dueNanos) {}

  /**
   * A simulated worker: claims one item at a time, then extends and completes it, completes it
   * at once, or abandons it (a crash as the queue sees it). An abandoned lease is completed later
   * with its old token, as a worker that wakes up from a long pause would: the queue must refuse.
   */
  static Runnable worker(String name, List<Endpoint> endpoints, History history, Random random,
      BooleanSupplier running, Clients clients) {
    return () -> {
      Deque<Held> zombies = new ArrayDeque<>();
      try (ClusterClient client = clients.of(endpoints)) {
        while (running.getAsBoolean() && !history.full()) {
          Held zombie = zombies.peekFirst();
          if (zombie != null && zombie.dueNanos() <= System.nanoTime()) {
            zombies.removeFirst();
            complete(name, client, history, zombie.item(), zombie.token(), true);
            continue;
          }
          WorkItem[] claimed = new WorkItem[1];
          History.Op claim = history.record(name, "claim", "", "", "", "", r -> {
            ClaimResult result = client.claim(ClaimRequest.newBuilder().setWorkerId(name).setNodeId(name)
                .setMaxItems(1).addWorkTypes(TYPE).setLeaseMs(LEASE_MS).build());
            if (result.getItemsCount() > 0) {
              WorkItem item = result.getItems(0);
              claimed[0] = item;
              r.item = item.getId();
              r.token = token(item.getLease());
              r.extra.put("claimed_ms", item.getClaimedMs());
              r.extra.put("lease_expires_ms", item.getLeaseExpiresMs());
              r.extra.put("attempts", item.getAttempts());
              r.extra.put("max_attempts", item.getMaxAttempts());
            }
          });
          WorkItem item = claimed[0];
          if (claim.outcome() != History.Outcome.OK || item == null) {
            pace(50);
            continue;
          }
          int choice = random.nextInt(100);
          if (choice < 20) {
            zombies.addLast(new Held(item.getId(), item.getLease(),
                System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2 * LEASE_MS + random.nextInt(1000))));
            continue;
          }
          if (choice < 75) {
            History.Op extend = history.record(name, "extend", "", "", item.getId(), token(item.getLease()), r -> {
              WorkItem extended = client.extend(ExtendRequest.newBuilder().setItemId(item.getId())
                  .setToken(item.getLease()).setLeaseMs(LEASE_MS).build());
              r.extra.put("lease_expires_ms", extended.getLeaseExpiresMs());
            });
            if (extend.outcome() == History.Outcome.FAIL) {
              continue;
            }
          }
          complete(name, client, history, item.getId(), item.getLease(), false);
        }
      }
    };
  }

  private static void complete(String name, ClusterClient client, History history, String item, LeaseToken token,
      boolean zombie) {
    history.record(name, "complete", "", "", item, token(token), r -> {
      r.extra.put("zombie", zombie);
      WorkItem done = client.complete(CompleteRequest.newBuilder().setItemId(item).setToken(token)
          .setResult(ByteString.copyFromUtf8("ok")).build());
      r.extra.put("state", done.getState().name());
    });
  }

  /** Pacing between a client's operations (not synchronisation): keeps two cores breathing. */
  private static void pace(long ms) {
    try {
      TimeUnit.MILLISECONDS.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
