package org.ringrift.cluster.raft;

import java.io.IOException;

/**
 * A Raft request of this node that ended without an answer from the state machine. The kind says
 * what the caller may conclude: whether the request can have been proposed.
 */
public final class RaftCallException extends IOException {
  /** What a failed call means for the request. */
  public enum Kind {
    /** No leader was reached before the deadline: nothing was proposed, the request may go elsewhere. */
    NO_LEADER,
    /** This node holds too many requests already: refused before anything was proposed. */
    BACKPRESSURE,
    /**
     * A leader may have appended the write, and no answer came before the deadline: it may still
     * be applied (exactly once: every retry carried the same Raft call id).
     */
    OUTCOME_UNKNOWN,
    /** This node is shutting down: refused before anything was proposed. */
    CLOSED
  }

  private final Kind kind;

  public RaftCallException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  /** True when the request cannot have been proposed, so that another node may be asked. */
  public boolean notProposed() {
    return kind != Kind.OUTCOME_UNKNOWN;
  }
}
