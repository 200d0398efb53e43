package org.ringrift.cluster.statemachine;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import org.ringrift.cluster.proto.ClaimRequest;
import org.ringrift.cluster.proto.Command;
import org.ringrift.cluster.proto.CommandResult;
import org.ringrift.cluster.proto.CompleteRequest;
import org.ringrift.cluster.proto.EnqueueRequest;
import org.ringrift.cluster.proto.LeaseToken;
import org.ringrift.cluster.proto.Query;
import org.ringrift.cluster.proto.QueryResult;
import org.ringrift.cluster.proto.QueueStatsRequest;
import org.ringrift.cluster.proto.QueueStats;
import org.ringrift.cluster.proto.WorkType;
import org.ringrift.cluster.statemachine.queue.QueueLimits;
import org.ringrift.cluster.statemachine.store.StateStore;

/** A real RocksDB state machine in a temp dir, with a log that numbers entries for the test. */
final class StateFixture implements AutoCloseable {
  final Path dir;
  StateStore store;
  ReplicatedState state;
  long term = 1;
  long index = 0;
  long nowMs = 1_000_000;

  StateFixture(Path dir) {
    this.dir = dir;
    reopen();
  }

  void reopen() {
    if (store != null) {
      store.close();
    }
    store = StateStore.open(dir);
    state = new ReplicatedState(store, QueueLimits.defaults());
  }

  CommandResult apply(Command.Builder command) {
    index++;
    return state.apply(command.setNowMs(nowMs).build(), new LogPosition(term, index));
  }

  CommandResult enqueue(EnqueueRequest.Builder request) {
    return apply(Command.newBuilder().setEnqueue(request));
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

  CommandResult complete(String id, LeaseToken token) {
    return apply(Command.newBuilder().setComplete(CompleteRequest.newBuilder().setItemId(id).setToken(token)));
  }

  QueueStats stats() {
    return query(Query.newBuilder().setQueueStats(QueueStatsRequest.getDefaultInstance())).getQueueStats();
  }

  QueryResult query(Query.Builder query) {
    return state.query(query.build());
  }

  String digest() {
    return store.digest().sha256Hex();
  }

  @Override
  public void close() {
    store.close();
  }
}
