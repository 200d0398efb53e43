package org.ringrift.cluster.statemachine;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.ringrift.cluster.proto.CancelRequest;
import org.ringrift.cluster.proto.ClaimRequest;
import org.ringrift.cluster.proto.Command;
import org.ringrift.cluster.proto.CommandBatch;
import org.ringrift.cluster.proto.CommandResult;
import org.ringrift.cluster.proto.CompleteRequest;
import org.ringrift.cluster.proto.EnqueueBatchRequest;
import org.ringrift.cluster.proto.EnqueueRequest;
import org.ringrift.cluster.proto.ExpireLeasesRequest;
import org.ringrift.cluster.proto.ExtendRequest;
import org.ringrift.cluster.proto.FailRequest;
import org.ringrift.cluster.proto.LeaseToken;
import org.ringrift.cluster.proto.ListItemsRequest;
import org.ringrift.cluster.proto.ListItemsResult;
import org.ringrift.cluster.proto.ListNodesRequest;
import org.ringrift.cluster.proto.NodeRecord;
import org.ringrift.cluster.proto.Query;
import org.ringrift.cluster.proto.QueueStats;
import org.ringrift.cluster.proto.QueueStatsRequest;
import org.ringrift.cluster.proto.RedriveRequest;
import org.ringrift.cluster.proto.ReleaseRequest;
import org.ringrift.cluster.proto.SetConfigRequest;
import org.ringrift.cluster.proto.SetFeatureLevelRequest;
import org.ringrift.cluster.proto.SetPriorityRequest;
import org.ringrift.cluster.proto.StartRequest;
import org.ringrift.cluster.proto.WorkItem;
import org.ringrift.cluster.proto.WorkState;
import org.ringrift.cluster.proto.WorkType;
import org.ringrift.cluster.statemachine.QueueActions.Action;
import org.ringrift.cluster.proto.ListSessionsRequest;
import org.ringrift.cluster.proto.ListSessionsResult;
import org.ringrift.cluster.proto.OpenSessionRequest;
import org.ringrift.cluster.proto.SessionRef;
import org.ringrift.cluster.statemachine.features.FeatureLevels;
import org.ringrift.cluster.statemachine.queue.QueueLimits;
import org.ringrift.cluster.statemachine.sessions.SessionLimits;
import org.ringrift.cluster.statemachine.store.StateStore;

/**
 * Runs abstract workload steps against the RocksDB state machine and the in-memory model side by
 * side, checking every result, and keeps the log it wrote so a test can replay it.
 */
final class QueueDriver implements AutoCloseable {
  static final long START_MS = 1_000_000;
  private static final WorkType[] TYPES = {WorkType.WORK_TYPE_SELFPLAY, WorkType.WORK_TYPE_TRAINING};
  private static final String[] KEYS = {"", "k1", "k2"};
  private static final String[] GROUPS = {"", "g1", "g2"};
  private static final String[] NODES = {"n1", "n2"};

  /** Small limits, so a short sequence meets backpressure, backoff and group limits. */
  static final QueueModel.Config CONFIG = new QueueModel.Config(4, 7, 1, 1, 1_000, 4_000,
      Map.of(WorkType.WORK_TYPE_SELFPLAY, 20_000L, WorkType.WORK_TYPE_TRAINING, 4 * 3_600_000L));

  record Entry(Command command, LogPosition position) {}

  /** Idle expiry far beyond any workload's clock steps: sessions here end only if the code is wrong. */
  static final SessionLimits SESSION_LIMITS = new SessionLimits(100, 1000, 64L << 20, 1 << 20, 24 * 3_600_000L, 128);
  /** How many of its latest writes the client may still resend; acked_below stays below them. */
  private static final int RESEND_WINDOW = 8;

  final Path dir;
  StateStore store;
  ReplicatedState state;
  final QueueModel model = new QueueModel(CONFIG, START_MS);
  final List<Entry> log = new ArrayList<>();
  /** What the real state answered to each entry of {@link #log}. */
  private final List<CommandResult> results = new ArrayList<>();
  /** Steps the model has applied that wait to go into the log as one batch entry. */
  private final List<Pending> pending = new ArrayList<>();

  /**
   * A step waiting for its batch entry: its model result, or for a resend the write it repeats,
   * whose real result it must answer exactly.
   */
  private record Pending(Action action, Command command, CommandResult expected, Sent sent, Sent duplicateOf) {}

  /** A write of the session, and what the real state answered it (null until its entry applies). */
  private static final class Sent {
    final Command command;
    CommandResult real;

    Sent(Command command) {
      this.command = command;
    }

    long seq() {
      return command.getSession().getSeq();
    }
  }

  long term = 1;
  long nowMs = START_MS;

  /** With sessions, every model step is a write of one client session (see {@link #stamp}). */
  private final boolean sessions;
  private long sessionId;
  private final List<Sent> sent = new ArrayList<>();
  private long nextSeq = 1;
  /** A seq set aside by {@link QueueActions.Reorder}, for the write after the next. */
  private long heldSeq;
  private boolean reorderNext;
  private long ackedBelow;
  private long resends;

  QueueDriver() {
    this(false);
  }

  QueueDriver(boolean sessions) {
    this.sessions = sessions;
    dir = tempDir("queue-props");
    open();
    configure("queue.pending_soft_limit", CONFIG.softLimit());
    configure("queue.pending_hard_limit", CONFIG.hardLimit());
    configure("queue.pending_recovery", CONFIG.recovery());
    configure("queue.group_max_in_flight", CONFIG.groupLimit());
    configure("queue.retry_backoff_base_ms", CONFIG.backoffBaseMs());
    configure("queue.retry_backoff_max_ms", CONFIG.backoffMaxMs());
    configure("queue.timeout_ms.selfplay", CONFIG.timeoutMs().get(WorkType.WORK_TYPE_SELFPLAY));
    // The workload's set_priority needs feature level 3; the model has no levels.
    CommandResult raised = write(Command.newBuilder().setSetFeatureLevel(SetFeatureLevelRequest.newBuilder()
        .setLevel(FeatureLevels.PRIORITY)));
    assertThat(raised.hasRejected()).as("set_feature_level: %s", raised.getRejected()).isFalse();
    if (sessions) {
      CommandResult opened = write(Command.newBuilder().setOpenSession(OpenSessionRequest.newBuilder()
          .setClientName("property-client")));
      assertThat(opened.hasSession()).as("open_session: %s", opened).isTrue();
      sessionId = opened.getSession().getSessionId();
    }
  }

  void open() {
    store = StateStore.open(dir);
    state = new ReplicatedState(store, QueueLimits.defaults(), SESSION_LIMITS, true);
  }

  void reopen() {
    store.close();
    open();
  }

  private void configure(String key, long value) {
    CommandResult result = write(Command.newBuilder().setSetConfig(
        SetConfigRequest.newBuilder().setKey(key).setValue(Long.toString(value))));
    assertThat(result.hasRejected()).as("%s: %s", key, result.getRejected()).isFalse();
  }

  /** Appends a command to the log and applies it to the real state machine only. */
  private CommandResult write(Command.Builder command) {
    Entry entry = new Entry(command.setNowMs(nowMs).build(), new LogPosition(term, log.size() + 1));
    log.add(entry);
    CommandResult result = state.apply(entry.command(), entry.position());
    results.add(result);
    return result;
  }

  /** A command outside the model (nodes, events, sync, ...): logged and applied to the real state only. */
  CommandResult writeOnly(Command.Builder command) {
    return write(command);
  }

  /** One step on both; the results must agree (rejections by code and field). */
  void run(Action action) {
    flushBatch();
    if (action instanceof QueueActions.Resend r) {
      Sent original = resendOf(r);
      if (original != null) {
        CommandResult real = write(resendCommand(original));
        assertThat(real).as("resend of seq %d", original.seq()).isEqualTo(original.real);
      }
      return;
    }
    Command.Builder command = command(action);
    if (command == null) {
      return;
    }
    Sent write = stamp(command);
    CommandResult real = write(command);
    if (write != null) {
      write.real = real;
    }
    CommandResult expected = model.apply(log.get(log.size() - 1).command(), term);
    assertAgrees(action, command.getBodyCase(), real, expected);
  }

  /**
   * With sessions, gives a model step the session's next seq (or, after a Reorder, the seq after
   * it, holding the skipped one for the following write) and the client's acked_below: the lowest
   * seq among the writes it may still resend or has not sent yet.
   */
  private Sent stamp(Command.Builder command) {
    if (!sessions) {
      return null;
    }
    long seq;
    if (heldSeq != 0) {
      seq = heldSeq;
      heldSeq = 0;
    } else if (reorderNext) {
      reorderNext = false;
      heldSeq = nextSeq;
      seq = nextSeq + 1;
      nextSeq += 2;
    } else {
      seq = nextSeq++;
    }
    long needed = seq;
    if (heldSeq != 0) {
      needed = Math.min(needed, heldSeq);
    }
    for (Sent recent : sent.subList(Math.max(0, sent.size() - (RESEND_WINDOW - 1)), sent.size())) {
      needed = Math.min(needed, recent.seq());
    }
    ackedBelow = Math.max(ackedBelow, needed);
    command.setSession(SessionRef.newBuilder().setSessionId(sessionId).setSeq(seq).setAckedBelow(ackedBelow));
    Sent write = new Sent(command.setNowMs(nowMs).build());
    sent.add(write);
    return write;
  }

  /** The write a Resend repeats: one of the latest whose result the client has not acknowledged. */
  private Sent resendOf(QueueActions.Resend resend) {
    if (!sessions) {
      return null;
    }
    List<Sent> candidates = sent.subList(Math.max(0, sent.size() - RESEND_WINDOW), sent.size()).stream()
        .filter(s -> s.seq() >= ackedBelow).toList();
    if (candidates.isEmpty()) {
      return null;
    }
    resends++;
    return candidates.get(candidates.size() - 1 - resend.back() % candidates.size());
  }

  /** The same write proposed again: same body and seq, this proposer's clock and current acked_below. */
  private Command.Builder resendCommand(Sent original) {
    SessionRef ref = original.command.getSession();
    return original.command.toBuilder().setNowMs(nowMs)
        .setSession(ref.toBuilder().setAckedBelow(Math.min(ackedBelow, ref.getSeq())));
  }

  /**
   * One step, queued for the next batch entry, as a proposer's group commit would: the model
   * applies it now, so later steps are built against the state the batch will leave; the real
   * state applies it when the batch is flushed.
   */
  void runBatched(Action action) {
    if (action instanceof QueueActions.NewTerm) {
      flushBatch(); // an entry has one term, so a new term starts a new batch
    }
    if (action instanceof QueueActions.Resend r) {
      Sent original = resendOf(r);
      if (original != null) {
        pending.add(new Pending(action, resendCommand(original).build(), null, null, original));
      }
      return;
    }
    Command.Builder command = command(action);
    if (command == null) {
      return;
    }
    Sent write = stamp(command);
    Command stamped = command.setNowMs(nowMs).build();
    pending.add(new Pending(action, stamped, model.apply(stamped, term), write, null));
  }

  int pendingSteps() {
    return pending.size();
  }

  /** Writes the queued steps as one batch entry; each result must agree with the model's. */
  void flushBatch() {
    if (pending.isEmpty()) {
      return;
    }
    CommandBatch.Builder batch = CommandBatch.newBuilder();
    pending.forEach(p -> batch.addCommands(p.command()));
    CommandResult real = write(Command.newBuilder().setBatch(batch));
    assertThat(real.getBatch().getResultsCount()).as("results of batch %s", real).isEqualTo(pending.size());
    for (int i = 0; i < pending.size(); i++) {
      Pending step = pending.get(i);
      CommandResult answer = real.getBatch().getResults(i);
      if (step.duplicateOf() != null) {
        assertThat(answer).as("resend of seq %d in a batch", step.duplicateOf().seq()).isEqualTo(step.duplicateOf().real);
        continue;
      }
      if (step.sent() != null) {
        step.sent().real = answer;
      }
      assertAgrees(step.action(), step.command().getBodyCase(), answer, step.expected());
    }
    pending.clear();
  }

  private static void assertAgrees(Action action, Command.BodyCase kind, CommandResult real, CommandResult expected) {
    // What the workloads exercise, in jqwik's report: each command by outcome.
    net.jqwik.api.statistics.Statistics.label("outcomes").collect(kind,
        real.hasRejected() ? real.getRejected().getCode() : real.getBodyCase());
    if (expected.hasRejected()) {
      assertThat(real.hasRejected()).as("%s accepted, model rejects %s; real: %s", action, expected.getRejected(), real)
          .isTrue();
      assertThat(real.getRejected().getCode()).as("%s: %s", action, real.getRejected()).isEqualTo(expected.getRejected().getCode());
      assertThat(real.getRejected().getField()).as("%s: %s", action, real.getRejected()).isEqualTo(expected.getRejected().getField());
    } else {
      assertThat(real).as("result of %s", action).isEqualTo(expected);
    }
  }

  /**
   * Applies the log again into a fresh store with every command of a batch entry as an entry of
   * its own: each command must answer the same, and the state must be the same but for the log
   * index events record (see {@link StateDumps#withoutEventIndexes}).
   */
  void assertSameAsOneByOne() {
    Path singlesDir = tempDir("queue-singles");
    try (StateStore singles = StateStore.open(singlesDir)) {
      ReplicatedState oneByOne = new ReplicatedState(singles, QueueLimits.defaults(), SESSION_LIMITS, true);
      long index = 0;
      for (int i = 0; i < log.size(); i++) {
        Entry entry = log.get(i);
        boolean batch = entry.command().hasBatch();
        List<Command> commands = batch ? entry.command().getBatch().getCommandsList() : List.of(entry.command());
        List<CommandResult> answered = batch ? results.get(i).getBatch().getResultsList() : List.of(results.get(i));
        for (int k = 0; k < commands.size(); k++) {
          CommandResult single = oneByOne.apply(commands.get(k), new LogPosition(entry.position().term(), ++index));
          assertThat(answered.get(k)).as("command %d of entry %s", k, entry.position()).isEqualTo(single);
        }
      }
      assertThat(StateDumps.withoutEventIndexes(store)).isEqualTo(StateDumps.withoutEventIndexes(singles));
    } finally {
      deleteRecursively(singlesDir);
    }
  }

  /** The whole queue, stats and node registry must equal the model's. */
  void assertSameState() {
    assertSameQueue();
    assertThat(nodes()).isEqualTo(model.nodes());
    if (sessions) {
      ListSessionsResult list = state.query(Query.newBuilder().setListSessions(ListSessionsRequest.getDefaultInstance())
          .build()).getListSessions();
      SessionInvariants.check(store);
      assertThat(list.getOpen()).as("the session never ended").isEqualTo(1);
      assertThat(list.getDedupeHits()).as("every resend, and only they, answered from the store").isEqualTo(resends);
      assertThat(list.getSessions(0).getAckedBelow()).isEqualTo(sent.isEmpty() ? 0 : ackedBelow);
      net.jqwik.api.statistics.Statistics.label("resends").collect(resends == 0 ? "none" : resends < 5 ? "1-4" : "5+");
    }
  }

  /** Every item and the queue stats must equal the model's. */
  void assertSameQueue() {
    assertThat(allItems()).isEqualTo(model.items());
    assertThat(stats()).isEqualTo(model.stats());
  }

  /** The command of a step, or null for a step that only moves the test's clock or term. */
  private Command.Builder command(Action action) {
    if (action instanceof QueueActions.Enqueue e) {
      return Command.newBuilder().setEnqueue(enqueue(e));
    } else if (action instanceof QueueActions.EnqueueBatch b) {
      return Command.newBuilder().setEnqueueBatch(
          EnqueueBatchRequest.newBuilder().addAllItems(b.items().stream().map(e -> enqueue(e).build()).toList()));
    } else if (action instanceof QueueActions.Claim c) {
      return Command.newBuilder().setClaim(claim(c));
    } else if (action instanceof QueueActions.Start s) {
      return Command.newBuilder().setStart(
          StartRequest.newBuilder().setItemId(leasedId(s.pick())).setToken(token(s.pick(), s.token())));
    } else if (action instanceof QueueActions.Extend x) {
      return Command.newBuilder().setExtend(ExtendRequest.newBuilder()
          .setItemId(leasedId(x.pick())).setToken(token(x.pick(), x.token())).setLeaseMs(x.leaseMs()));
    } else if (action instanceof QueueActions.Complete c) {
      return Command.newBuilder().setComplete(CompleteRequest.newBuilder().setItemId(leasedId(c.pick()))
          .setToken(token(c.pick(), c.token())).setResult(ByteString.copyFromUtf8("r" + c.pick())));
    } else if (action instanceof QueueActions.Fail f) {
      return Command.newBuilder().setFail(FailRequest.newBuilder().setItemId(leasedId(f.pick()))
          .setToken(token(f.pick(), f.token())).setError("e" + f.pick()).setPermanent(f.permanent()));
    } else if (action instanceof QueueActions.Release r) {
      return Command.newBuilder().setRelease(
          ReleaseRequest.newBuilder().setItemId(leasedId(r.pick())).setToken(token(r.pick(), r.token())));
    } else if (action instanceof QueueActions.Cancel c) {
      return Command.newBuilder().setCancel(CancelRequest.newBuilder()
          .setItemId(c.pick() < 0 ? "w-" + model.nextItemSeq() : id(c.pick())).setReason(c.pick() % 2 == 0 ? "" : "stop"));
    } else if (action instanceof QueueActions.SetPriority p) {
      return Command.newBuilder().setSetPriority(SetPriorityRequest.newBuilder()
          .setItemId(p.pick() < 0 ? "w-" + model.nextItemSeq() : id(p.pick())).setPriority(p.priority()));
    } else if (action instanceof QueueActions.Redrive r) {
      return Command.newBuilder().setRedrive(r.picks().isEmpty()
          ? RedriveRequest.newBuilder().setAll(true).setLimit(r.limit())
          : RedriveRequest.newBuilder().addAllItemIds(r.picks().stream().map(this::deadLetterId).toList()));
    } else if (action instanceof QueueActions.ExpireLeases x) {
      long expected = switch (x.fence()) {
        case CURRENT_TERM -> term;
        case OTHER_TERM -> term > 1 ? term - 1 : term + 1;
        case NONE -> 0;
      };
      return Command.newBuilder().setExpectedTerm(expected)
          .setExpireLeases(ExpireLeasesRequest.newBuilder().setMaxItems(x.maxItems()));
    } else if (action instanceof QueueActions.Advance a) {
      nowMs += a.ms();
    } else if (action instanceof QueueActions.ClockBack b) {
      nowMs -= b.ms();
    } else if (action instanceof QueueActions.NewTerm) {
      term++;
    } else if (action instanceof QueueActions.Reorder) {
      reorderNext = sessions && heldSeq == 0;
    } else if (action instanceof QueueActions.Resend) {
      throw new IllegalStateException("a resend is not a new command");
    } else {
      throw new IllegalArgumentException("unknown step " + action);
    }
    return null;
  }

  private static ClaimRequest.Builder claim(QueueActions.Claim c) {
    ClaimRequest.Builder claim = ClaimRequest.newBuilder().setWorkerId("w" + c.worker())
        .setNodeId(c.ownNode() ? "" : "n" + c.worker()).setMaxItems(c.maxItems()).setLeaseMs(c.leaseMs());
    for (int i = 0; i < TYPES.length; i++) {
      if ((c.typesMask() & (1 << i)) != 0) {
        claim.addWorkTypes(TYPES[i]);
      }
    }
    if (c.gpu()) {
      claim.addCapabilities("gpu");
    }
    return claim;
  }

  private EnqueueRequest.Builder enqueue(QueueActions.Enqueue e) {
    EnqueueRequest.Builder request = EnqueueRequest.newBuilder().setType(TYPES[e.type()]).setPriority(e.priority())
        .setPayload(ByteString.copyFromUtf8("p" + e.priority())).setMaxAttempts(e.maxAttempts())
        .setTimeoutMs(e.timeoutMs()).setIdempotencyKey(KEYS[e.idempotencyKey()]).setGroupKey(GROUPS[e.group()])
        .setForce(e.force());
    if (e.dependsOn() == -2) {
      request.addDependsOn("w-" + (model.nextItemSeq() + 5));
    } else if (e.dependsOn() >= 0 && !model.items().isEmpty()) {
      request.addDependsOn(id(e.dependsOn()));
    }
    if (e.target() > 0) {
      request.setTargetNode("n1").setTargetNodeExpiresMs(e.target() == 1 ? 0 : nowMs + 10_000);
    }
    for (int i = 0; i < NODES.length; i++) {
      if ((e.excludedMask() & (1 << i)) != 0) {
        request.addExcludedNodes(NODES[i]);
      }
    }
    if (e.needsGpu()) {
      request.addRequiredCapabilities("gpu");
    }
    return request;
  }

  /** The id of an existing item chosen by position; the next, unknown id when there are none. */
  private String id(int pick) {
    return pickFrom(model.items(), pick).map(WorkItem::getId).orElse("w-" + model.nextItemSeq());
  }

  private String leasedId(int pick) {
    return pickFrom(preferred(pick, WorkState.WORK_STATE_CLAIMED, WorkState.WORK_STATE_RUNNING), pick)
        .map(WorkItem::getId).orElse("w-" + model.nextItemSeq());
  }

  private String deadLetterId(int pick) {
    return pickFrom(preferred(pick, WorkState.WORK_STATE_FAILED, WorkState.WORK_STATE_TIMEOUT), pick)
        .map(WorkItem::getId).orElse("w-" + model.nextItemSeq());
  }

  /** Items in one of {@code states}, unless there are none or the pick asks for any item. */
  private List<WorkItem> preferred(int pick, WorkState... states) {
    List<WorkState> wanted = List.of(states);
    List<WorkItem> some = model.items().stream().filter(i -> wanted.contains(i.getState())).toList();
    return some.isEmpty() || pick % 5 == QueueActions.ANY_ITEM ? model.items() : some;
  }

  private static Optional<WorkItem> pickFrom(List<WorkItem> items, int pick) {
    return items.isEmpty() ? Optional.empty() : Optional.of(items.get(pick % items.size()));
  }

  /** The token a lease step echoes, for the item {@link #leasedId} picks. */
  private LeaseToken token(int pick, QueueActions.TokenChoice choice) {
    LeaseToken current = pickFrom(preferred(pick, WorkState.WORK_STATE_CLAIMED, WorkState.WORK_STATE_RUNNING), pick)
        .map(WorkItem::getLease).orElse(LeaseToken.getDefaultInstance());
    return switch (choice) {
      case CURRENT, CURRENT_AGAIN -> current;
      case NEXT_SEQUENCE -> current.toBuilder().setSequence(current.getSequence() + 1).build();
      case OTHER_TERM -> current.toBuilder().setTerm(current.getTerm() + 1).build();
    };
  }

  List<WorkItem> allItems() {
    List<WorkItem> all = new ArrayList<>();
    String after = "";
    do {
      ListItemsResult page = state.query(Query.newBuilder().setListItems(
          ListItemsRequest.newBuilder().setAfterId(after).setLimit(500)).build()).getListItems();
      all.addAll(page.getItemsList());
      after = page.getNextAfterId();
    } while (!after.isEmpty());
    return all;
  }

  QueueStats stats() {
    return state.query(Query.newBuilder().setQueueStats(QueueStatsRequest.getDefaultInstance()).build()).getQueueStats();
  }

  List<NodeRecord> nodes() {
    return state.query(Query.newBuilder().setListNodes(ListNodesRequest.getDefaultInstance()).build())
        .getListNodes().getNodesList();
  }

  @Override
  public void close() {
    store.close();
    deleteRecursively(dir);
  }

  private static Path tempDir(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
