package org.ringrift.cluster.statemachine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ringrift.cluster.contract.names.EventTypes;
import org.ringrift.cluster.proto.Event;
import org.ringrift.cluster.proto.Query;
import org.ringrift.cluster.proto.RecentEventsRequest;
import org.ringrift.cluster.proto.RejectCode;
import org.ringrift.cluster.proto.WorkItem;

/** The bounded replicated event log: publish, trim to max history, recent queries. */
class EventLogTest {
  @TempDir Path dir;
  StateFixture sm;

  @BeforeEach
  void open() {
    sm = new StateFixture(dir);
  }

  @AfterEach
  void close() {
    sm.close();
  }

  private void note(int n) {
    for (int i = 0; i < n; i++) {
      sm.apply(Commands.publish(EventTypes.OPERATOR_NOTE, "ops", "note " + i));
    }
  }

  private List<Event> recent(RecentEventsRequest.Builder request) {
    return sm.query(Query.newBuilder().setRecentEvents(request)).getRecentEvents().getEventsList();
  }

  @Test
  void publishedEventCarriesItsEntryAndTime() {
    sm.term = 4;
    Event event = sm.apply(Commands.publish(EventTypes.OPERATOR_NOTE, "n1", "rebooting")).getEvent();

    assertThat(event.getSeq()).isEqualTo(1);
    assertThat(event.getTerm()).isEqualTo(4);
    assertThat(event.getLogIndex()).isEqualTo(sm.index);
    assertThat(event.getTimeMs()).isEqualTo(sm.nowMs);
    assertThat(event.getSubject()).isEqualTo("n1");
    assertThat(event.getMessage()).isEqualTo("rebooting");
    assertThat(sm.events()).containsExactly(event);
  }

  @Test
  void publishRejections() {
    sm.rejects(Commands.publish(EventTypes.LEADER_ELECTED, "n1", "me"), RejectCode.REJECT_INVALID_ARGUMENT, "type");
    sm.rejects(Commands.publish("", "n1", "me"), RejectCode.REJECT_INVALID_ARGUMENT, "type");
    sm.rejects(Commands.publish(EventTypes.OPERATOR_NOTE, "n1", "m".repeat(513)),
        RejectCode.REJECT_INVALID_ARGUMENT, "message");
    sm.rejects(Commands.publish(EventTypes.OPERATOR_NOTE, "s".repeat(513), "m"),
        RejectCode.REJECT_INVALID_ARGUMENT, "subject");
  }

  @Test
  void logIsTrimmedToMaxHistory() {
    sm.setConfig("events.max_history", 10); // itself event 1
    note(24);

    List<Event> kept = sm.events();
    assertThat(kept).hasSize(10);
    assertThat(kept).extracting(Event::getSeq).containsExactly(16L, 17L, 18L, 19L, 20L, 21L, 22L, 23L, 24L, 25L);
  }

  @Test
  void loweringMaxHistoryTrimsAtTheNextAppend() {
    note(30);
    sm.setConfig("events.max_history", 10);

    assertThat(sm.events()).extracting(Event::getSeq).first().isEqualTo(22L);
    assertThat(sm.events()).hasSize(10);
  }

  @Test
  void workFlowIsEventsTooAndTheLimitStillHolds() {
    WorkItem item = sm.enqueued(StateFixture.selfplay(50));
    WorkItem claimed = sm.claimOne("w1");
    assertThat(sm.complete(claimed.getId(), claimed.getLease()).hasRejected()).isFalse();

    assertThat(sm.events()).extracting(Event::getType, Event::getSubject).containsExactly(
        org.assertj.core.groups.Tuple.tuple(EventTypes.WORK_ENQUEUED, item.getId()),
        org.assertj.core.groups.Tuple.tuple(EventTypes.WORK_CLAIMED, item.getId()),
        org.assertj.core.groups.Tuple.tuple(EventTypes.WORK_COMPLETED, item.getId()));
    assertThat(sm.events(EventTypes.WORK_CLAIMED).get(0).getMessage()).contains("w1", "attempt 1");
    assertThat(sm.stats().getCompletedTotal()).isEqualTo(1);

    sm.setConfig("events.max_history", 10);
    for (int i = 0; i < 30; i++) {
      sm.enqueued(StateFixture.selfplay(50));
    }
    assertThat(sm.events()).hasSize(10).allMatch(e -> e.getType().equals(EventTypes.WORK_ENQUEUED));
  }

  @Test
  void recentFiltersByTypeAndSeqAndKeepsTheNewest() {
    note(5);
    sm.apply(Commands.daemon("retention", false));
    note(2);

    assertThat(recent(RecentEventsRequest.newBuilder().setLimit(3))).extracting(Event::getSeq)
        .containsExactly(6L, 7L, 8L);
    assertThat(recent(RecentEventsRequest.newBuilder().setAfterSeq(6))).extracting(Event::getSeq)
        .containsExactly(7L, 8L);
    assertThat(recent(RecentEventsRequest.newBuilder().setType(EventTypes.DAEMON_DISABLED)))
        .extracting(Event::getSeq).containsExactly(6L);
    assertThat(sm.query(Query.newBuilder().setRecentEvents(RecentEventsRequest.newBuilder().setLimit(1001)))
        .getRejected().getField()).isEqualTo("limit");
  }
}
