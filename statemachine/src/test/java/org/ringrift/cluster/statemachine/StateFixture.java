package org.ringrift.cluster.statemachine;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.ringrift.cluster.proto.ClaimRequest;
import org.ringrift.cluster.proto.Command;
import org.ringrift.cluster.proto.CommandBatch;
import org.ringrift.cluster.proto.CommandResult;
import org.ringrift.cluster.proto.CompleteRequest;
import org.ringrift.cluster.proto.EnqueueRequest;
import org.ringrift.cluster.proto.Event;
import org.ringrift.cluster.proto.GetItemRequest;
import org.ringrift.cluster.proto.LeaseToken;
import org.ringrift.cluster.proto.Query;
import org.ringrift.cluster.proto.QueryResult;
import org.ringrift.cluster.proto.QueueStatsRequest;
import org.ringrift.cluster.proto.QueueStats;
import org.ringrift.cluster.proto.RecentEventsRequest;
import org.ringrift.cluster.proto.RejectCode;
import org.ringrift.cluster.proto.Rejection;
import org.ringrift.cluster.proto.SetConfigRequest;
import org.ringrift.cluster.proto.WorkItem;
import org.ringrift.cluster.proto.WorkType;
import org.ringrift.cluster.statemachine.queue.QueueLimits;
import org.ringrift.cluster.statemachine.sessions.SessionLimits;
import org.ringrift.cluster.statemachine.store.Batch;
import org.ringrift.cluster.statemachine.store.Cursor;
import org.ringrift.cluster.statemachine.store.Family;
import org.ringrift.cluster.statemachine.store.MetaKeys;
import org.ringrift.cluster.statemachine.store.StateStore;

/** A real RocksDB state machine in a temp dir, with a log that numbers entries for the test. */
final class StateFixture implements AutoCloseable {
  final Path dir;
  StateStore store;
  ReplicatedState state;
  long term = 1;
  long index = 0;
  long nowMs = 1_000_000;

  private final QueueLimits limits;
  private final SessionLimits sessionLimits;

  StateFixture(Path dir) {
    this(dir, QueueLimits.defaults());
  }

  StateFixture(Path dir, QueueLimits limits) {
    this(dir, limits, SessionLimits.defaults());
  }

  StateFixture(Path dir, SessionLimits sessionLimits) {
    this(dir, QueueLimits.defaults(), sessionLimits);
  }

  StateFixture(Path dir, QueueLimits limits, SessionLimits sessionLimits) {
    this.dir = dir;
    this.limits = limits;
    this.sessionLimits = sessionLimits;
    reopen();
  }

  void reopen() {
    if (store != null) {
      store.close();
    }
    store = StateStore.open(dir);
    state = new ReplicatedState(store, limits, sessionLimits, true);
  }

  /**
   * A batch entry of {@code commands}, each stamped with the fixture's clock unless it carries a
   * time of its own, as a proposer's group commit would build it.
   */
  static Command.Builder batch(long nowMs, List<Command.Builder> commands) {
    CommandBatch.Builder batch = CommandBatch.newBuilder();
    for (Command.Builder command : commands) {
      batch.addCommands(command.getNowMs() == 0 ? command.clone().setNowMs(nowMs) : command);
    }
    return Command.newBuilder().setBatch(batch);
  }

  /** Applies {@code commands} as one batch entry and returns one result per command. */
  List<CommandResult> applyBatch(Command.Builder... commands) {
    CommandResult result = apply(batch(nowMs, List.of(commands)));
    assertThat(result.getBodyCase()).as("batch entry result: %s", result).isEqualTo(CommandResult.BodyCase.BATCH);
    assertThat(result.getBatch().getResultsCount()).isEqualTo(commands.length);
    return result.getBatch().getResultsList();
  }

  CommandResult apply(Command.Builder command) {
    index++;
    return state.apply(command.setNowMs(nowMs).build(), new LogPosition(term, index));
  }

  /** A leader-daemon command, fenced by the current term as a ready leader would propose it. */
  CommandResult applyAsLeader(Command.Builder command) {
    return apply(command.setExpectedTerm(term));
  }

  CommandResult enqueue(EnqueueRequest.Builder request) {
    return apply(Command.newBuilder().setEnqueue(request));
  }

  WorkItem enqueued(EnqueueRequest.Builder request) {
    CommandResult result = enqueue(request);
    assertThat(result.hasRejected()).as("enqueue rejected: %s", result.getRejected()).isFalse();
    return result.getEnqueue().getItem();
  }

  static EnqueueRequest.Builder selfplay(int priority) {
    return EnqueueRequest.newBuilder()
        .setType(WorkType.WORK_TYPE_SELFPLAY)
        .setPriority(priority)
        .setPayload(ByteString.copyFromUtf8("{\"board\":\"hex8\"}"));
  }

  CommandResult claim(String worker, int maxItems) {
    return apply(Command.newBuilder().setClaim(ClaimRequest.newBuilder().setWorkerId(worker).setMaxItems(maxItems)));
  }

  CommandResult claim(ClaimRequest.Builder request) {
    return apply(Command.newBuilder().setClaim(request));
  }

  /** Claims exactly one item for {@code worker} and returns it. */
  WorkItem claimOne(String worker) {
    List<WorkItem> items = claim(worker, 1).getClaim().getItemsList();
    assertThat(items).as("claim by %s", worker).hasSize(1);
    return items.get(0);
  }

  CommandResult complete(String id, LeaseToken token) {
    return apply(Command.newBuilder().setComplete(CompleteRequest.newBuilder().setItemId(id).setToken(token)));
  }

  CommandResult setConfig(String key, long value) {
    CommandResult result = apply(Command.newBuilder()
        .setSetConfig(SetConfigRequest.newBuilder().setKey(key).setValue(Long.toString(value))));
    assertThat(result.hasRejected()).as("set %s: %s", key, result.getRejected()).isFalse();
    return result;
  }

  WorkItem item(String id) {
    QueryResult result = query(Query.newBuilder().setGetItem(GetItemRequest.newBuilder().setItemId(id)));
    assertThat(result.hasRejected()).as("get %s: %s", id, result.getRejected()).isFalse();
    return result.getGetItem().getItem();
  }

  QueueStats stats() {
    return query(Query.newBuilder().setQueueStats(QueueStatsRequest.getDefaultInstance())).getQueueStats();
  }

  /** The whole retained event log, oldest first. */
  List<Event> events() {
    return query(Query.newBuilder().setRecentEvents(RecentEventsRequest.newBuilder().setLimit(1000)))
        .getRecentEvents().getEventsList();
  }

  List<Event> events(String type) {
    return events().stream().filter(e -> e.getType().equals(type)).toList();
  }

  QueryResult query(Query.Builder query) {
    return state.query(query.build());
  }

  String digest() {
    return store.digest().sha256Hex();
  }

  /** Every key and value of every family except the applied position, as hex, in key order. */
  Map<String, String> dump() {
    Map<String, String> all = new TreeMap<>();
    HexFormat hex = HexFormat.of();
    try (Batch view = store.newBatch()) {
      for (Family family : Family.values()) {
        try (Cursor cursor = view.seek(family, new byte[0])) {
          for (; cursor.valid(); cursor.next()) {
            String key = family.columnName() + "/" + hex.formatHex(cursor.key());
            if (!key.equals(metaKey(MetaKeys.APPLIED))) {
              all.put(key, hex.formatHex(cursor.value()));
            }
          }
        }
      }
    }
    return all;
  }

  static String metaKey(byte[] key) {
    return Family.META.columnName() + "/" + HexFormat.of().formatHex(key);
  }

  /**
   * Applies a command that must be rejected with {@code code} naming {@code field}, and checks the
   * promise of a rejection: nothing changes but the applied index and, for stale tokens and
   * fencing, their one counter, which moves by exactly one.
   */
  Rejection rejects(Command.Builder command, RejectCode code, String field) {
    Map<String, String> before = dump();
    String digestBefore = digest();
    CommandResult result = apply(command);

    assertThat(result.getBodyCase()).as("result of %s", command.getBodyCase()).isEqualTo(CommandResult.BodyCase.REJECTED);
    Rejection rejection = result.getRejected();
    assertThat(rejection.getCode()).as("code of %s", rejection).isEqualTo(code);
    assertThat(rejection.getField()).as("field of %s", rejection).isEqualTo(field);
    assertThat(rejection.getMessage()).isNotBlank();
    assertThat(state.applied()).isEqualTo(new LogPosition(term, index));

    Map<String, String> after = dump();
    byte[] counter = switch (code) {
      case REJECT_STALE_TOKEN -> MetaKeys.STALE_TOKEN_REJECTIONS;
      case REJECT_FENCED -> MetaKeys.FENCED_REJECTIONS;
      default -> null;
    };
    if (counter == null) {
      assertThat(after).isEqualTo(before);
      assertThat(digest()).isEqualTo(digestBefore);
    } else {
      String key = metaKey(counter);
      assertThat(counterValue(after, key)).isEqualTo(counterValue(before, key) + 1);
      after.remove(key);
      before.remove(key);
      assertThat(after).isEqualTo(before);
    }
    return rejection;
  }

  private static long counterValue(Map<String, String> dump, String key) {
    String hex = dump.get(key);
    return hex == null ? 0 : Long.parseUnsignedLong(hex, 16);
  }

  /** Checks the session families agree with each other (every test's state, on the way out). */
  @Override
  public void close() {
    try {
      SessionInvariants.check(store);
    } finally {
      store.close();
    }
  }
}
