package org.ringrift.cluster.statemachine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ringrift.cluster.contract.names.EventTypes;
import org.ringrift.cluster.proto.LeaderHistoryRequest;
import org.ringrift.cluster.proto.LeaderRecord;
import org.ringrift.cluster.proto.Query;
import org.ringrift.cluster.proto.RejectCode;

/** Leader history: one leader per term, recorded by that leader in that term. */
class LeaderCommandsTest {
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

  private java.util.List<LeaderRecord> history(int limit) {
    return sm.query(Query.newBuilder().setLeaderHistory(LeaderHistoryRequest.newBuilder().setLimit(limit)))
        .getLeaderHistory().getLeadersList();
  }

  @Test
  void leaderIsRecordedOncePerTerm() {
    LeaderRecord first = sm.applyAsLeader(Commands.recordLeader("n1")).getLeader();
    sm.nowMs += 1_000;
    LeaderRecord again = sm.applyAsLeader(Commands.recordLeader("n1")).getLeader();

    assertThat(first.getTerm()).isEqualTo(sm.term);
    assertThat(first.getLeaderId()).isEqualTo("n1");
    assertThat(first.getSinceMs()).isEqualTo(sm.nowMs - 1_000);
    assertThat(again).isEqualTo(first);
    assertThat(sm.events(EventTypes.LEADER_ELECTED)).hasSize(1);
  }

  @Test
  void aSecondLeaderInTheSameTermIsRejected() {
    sm.applyAsLeader(Commands.recordLeader("n1"));

    org.ringrift.cluster.proto.Rejection rejection = sm.rejects(
        Commands.recordLeader("n2").setExpectedTerm(sm.term), RejectCode.REJECT_FAILED_PRECONDITION, "leader_id");
    assertThat(rejection.getMessage()).contains("n1").contains("n2");
  }

  @Test
  void historyIsNewestFirstAndLimited() {
    for (String leader : new String[] {"n1", "n2", "n3"}) {
      sm.term++;
      sm.applyAsLeader(Commands.recordLeader(leader));
    }

    assertThat(history(0)).extracting(LeaderRecord::getLeaderId).containsExactly("n3", "n2", "n1");
    assertThat(history(2)).extracting(LeaderRecord::getTerm).containsExactly(4L, 3L);
    assertThat(sm.query(Query.newBuilder().setLeaderHistory(LeaderHistoryRequest.newBuilder().setLimit(1001)))
        .getRejected().getField()).isEqualTo("limit");
  }

  @Test
  void recordLeaderRejections() {
    sm.rejects(Commands.recordLeader("n1"), RejectCode.REJECT_INVALID_ARGUMENT, "expected_term");
    sm.rejects(Commands.recordLeader("").setExpectedTerm(sm.term), RejectCode.REJECT_INVALID_ARGUMENT, "leader_id");
    // An old leader that was paused over an election: its record for its old term is fenced.
    sm.term = 5;
    Rejected.fenced(sm, Commands.recordLeader("n1").setExpectedTerm(4));
    assertThat(history(0)).isEmpty();
  }
}
