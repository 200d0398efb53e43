package org.ringrift.cluster.statemachine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.ringrift.cluster.proto.CloseSessionRequest;
import org.ringrift.cluster.proto.Command;
import org.ringrift.cluster.proto.CommandResult;
import org.ringrift.cluster.proto.ListSessionsRequest;
import org.ringrift.cluster.proto.ListSessionsResult;
import org.ringrift.cluster.proto.OpenSessionRequest;
import org.ringrift.cluster.proto.Query;
import org.ringrift.cluster.proto.QueryResult;
import org.ringrift.cluster.proto.SessionInfo;
import org.ringrift.cluster.proto.SessionRef;
import org.ringrift.cluster.statemachine.store.MetaKeys;

/** A client session over a {@link StateFixture}: numbers its writes and resends them as a client would. */
final class SessionClient {
  final StateFixture sm;
  final long id;
  long lastSeq;
  long ackedBelow;

  private SessionClient(StateFixture sm, long id) {
    this.sm = sm;
    this.id = id;
  }

  static SessionClient open(StateFixture sm, String clientName) {
    CommandResult opened = sm.apply(openCommand(clientName));
    assertThat(opened.hasSession()).as("open_session: %s", opened).isTrue();
    return new SessionClient(sm, opened.getSession().getSessionId());
  }

  static Command.Builder openCommand(String clientName) {
    return Command.newBuilder().setOpenSession(OpenSessionRequest.newBuilder().setClientName(clientName));
  }

  static Command.Builder closeCommand(long id) {
    return Command.newBuilder().setCloseSession(CloseSessionRequest.newBuilder().setSessionId(id));
  }

  /** {@code command} stamped with this session, {@code seq} and the client's current acked_below. */
  Command.Builder at(long seq, Command.Builder command) {
    return command.clone().setSession(SessionRef.newBuilder().setSessionId(id).setSeq(seq).setAckedBelow(ackedBelow));
  }

  /** The next write of this session: a new seq. */
  Command.Builder next(Command.Builder command) {
    return at(++lastSeq, command);
  }

  CommandResult send(Command.Builder command) {
    return sm.apply(next(command));
  }

  CommandResult resend(long seq, Command.Builder command) {
    return sm.apply(at(seq, command));
  }

  SessionInfo info() {
    return sessions(sm).getSessionsList().stream().filter(s -> s.getSessionId() == id).findFirst()
        .orElseThrow(() -> new AssertionError("session " + id + " is not listed"));
  }

  static ListSessionsResult sessions(StateFixture sm) {
    QueryResult result = sm.query(Query.newBuilder().setListSessions(ListSessionsRequest.newBuilder().setLimit(1000)));
    assertThat(result.hasRejected()).as("list_sessions: %s", result.getRejected()).isFalse();
    return result.getListSessions();
  }

  /**
   * Resends {@code command} as (this session, {@code seq}) and checks exactly-once: the answer is
   * {@code first} exactly, and the store is unchanged but for the dedupe counter, which moves by one.
   */
  void assertResendIsDeduplicated(long seq, Command.Builder command, CommandResult first) {
    Map<String, String> before = sm.dump();
    long hits = sessions(sm).getDedupeHits();
    sm.nowMs += 1_000; // a later resend: even the clock and the session's activity must stay put

    CommandResult again = resend(seq, command);

    assertThat(again).as("resend of seq %d", seq).isEqualTo(first);
    assertThat(sessions(sm).getDedupeHits()).isEqualTo(hits + 1);
    Map<String, String> after = sm.dump();
    String counter = StateFixture.metaKey(MetaKeys.SESSION_DEDUPE_HITS);
    after.remove(counter);
    before.remove(counter);
    assertThat(after).isEqualTo(before);
  }
}
