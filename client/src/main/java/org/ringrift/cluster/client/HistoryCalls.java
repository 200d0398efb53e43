package org.ringrift.cluster.client;

import java.util.List;
import org.ringrift.cluster.proto.Event;
import org.ringrift.cluster.proto.LeaderHistoryRequest;
import org.ringrift.cluster.proto.LeaderRecord;
import org.ringrift.cluster.proto.RecentEventsRequest;
import org.ringrift.cluster.proto.SyncHistoryRequest;
import org.ringrift.cluster.proto.SyncRecord;
import org.ringrift.cluster.proto.SyncTriggerRequest;

/** The calls over the replicated histories: events, leaders, and data syncs. */
final class HistoryCalls {
  private final LeaderCalls calls;
  private final SessionWrites writes;

  HistoryCalls(LeaderCalls calls, SessionWrites writes) {
    this.calls = calls;
    this.writes = writes;
  }

  List<Event> recentEvents(RecentEventsRequest request) {
    return calls.read(stub -> stub.recentEvents(request)).getEventsList();
  }

  List<LeaderRecord> leaderHistory(int limit) {
    return calls.read(stub -> stub.leaderHistory(LeaderHistoryRequest.newBuilder().setLimit(limit).build()))
        .getLeadersList();
  }

  List<SyncRecord> syncHistory(SyncHistoryRequest request) {
    return calls.read(stub -> stub.syncHistory(request)).getRecordsList();
  }

  /** Records a sync trigger for {@code dataset}, to {@code targetNode} or (empty) the policy's nodes. */
  Event syncTrigger(String dataset, String targetNode) {
    return writes.write(stub -> stub.syncTrigger(SyncTriggerRequest.newBuilder().setDataset(dataset)
        .setTargetNode(targetNode).build()));
  }
}
