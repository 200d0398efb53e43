package org.ringrift.cluster.statemachine;

import org.ringrift.cluster.proto.Command;
import org.ringrift.cluster.proto.RejectCode;
import org.ringrift.cluster.proto.Rejection;

/** Short names for the rejections tests expect most. */
final class Rejected {
  private Rejected() {}

  /** A stale lease token: rejected, counted, nothing else changed. */
  static Rejection token(StateFixture sm, Command.Builder command) {
    return sm.rejects(command, RejectCode.REJECT_STALE_TOKEN, "token");
  }

  /** A fenced command: rejected, counted, nothing else changed. */
  static Rejection fenced(StateFixture sm, Command.Builder command) {
    return sm.rejects(command, RejectCode.REJECT_FENCED, "expected_term");
  }
}
