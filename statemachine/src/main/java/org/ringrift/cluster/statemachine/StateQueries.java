package org.ringrift.cluster.statemachine;

import org.ringrift.cluster.proto.DigestResult;
import org.ringrift.cluster.proto.Query;
import org.ringrift.cluster.proto.QueryResult;
import org.ringrift.cluster.proto.ReadBarrierResult;
import org.ringrift.cluster.statemachine.events.EventLog;
import org.ringrift.cluster.statemachine.features.FeatureCommands;
import org.ringrift.cluster.statemachine.sessions.SessionQueries;
import org.ringrift.cluster.statemachine.store.Batch;
import org.ringrift.cluster.statemachine.store.StateDigest;
import org.ringrift.cluster.statemachine.store.StateStore;

/** The reads of the applied state: one view of the store per query, nothing written. */
final class StateQueries {
  private final StateStore store;
  private final Handlers handlers;

  StateQueries(StateStore store, Handlers handlers) {
    this.store = store;
    this.handlers = handlers;
  }

  QueryResult query(Query query) {
    Handlers h = handlers;
    QueryResult.Builder r = QueryResult.newBuilder();
    try (Batch view = store.newBatch()) {
      switch (query.getBodyCase()) {
        case GET_ITEM -> r.setGetItem(h.queueQueries().getItem(view, query.getGetItem()));
        case QUEUE_STATS -> r.setQueueStats(h.queueQueries().stats(view));
        case LIST_ITEMS -> r.setListItems(h.queueQueries().list(view, query.getListItems()));
        case LIST_NODES -> r.setListNodes(h.nodes().list(view));
        case LEADER_HISTORY -> r.setLeaderHistory(h.leaders().history(view, query.getLeaderHistory()));
        case RECENT_EVENTS -> r.setRecentEvents(EventLog.recent(view, query.getRecentEvents()));
        case GET_CONFIG -> r.setGetConfig(h.config().get(view, query.getGetConfig()));
        case LIST_DAEMONS -> r.setListDaemons(h.daemons().list(view));
        case SYNC_HISTORY -> r.setSyncHistory(h.sync().history(view, query.getSyncHistory()));
        case DIGEST -> r.setDigest(digest());
        case LIST_SESSIONS -> r.setListSessions(SessionQueries.list(view, query.getListSessions()));
        case GET_FEATURE_LEVEL -> r.setFeatureLevel(FeatureCommands.read(view));
        case BARRIER -> r.setBarrier(ReadBarrierResult.newBuilder()
            .setAppliedIndex(store.applied().index()));
        case BODY_NOT_SET -> throw Rejections.invalid("body", "query has no body");
      }
    } catch (Rejections.RejectedException rejected) {
      return QueryResult.newBuilder().setRejected(rejected.rejection()).build();
    }
    return r.build();
  }

  private DigestResult digest() {
    StateDigest digest = store.digest();
    return DigestResult.newBuilder()
        .setAppliedTerm(digest.applied().term())
        .setAppliedIndex(digest.applied().index())
        .setDigest(digest.sha256Hex())
        .build();
  }
}
