package org.ringrift.cluster.raft;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.ringrift.cluster.proto.CommandResult;
import org.ringrift.cluster.proto.RejectCode;
import org.ringrift.cluster.proto.Rejection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Why this replica stopped applying the log (an entry or state above what its binary supports),
 * and what it answers from then on. Once set it stays for the life of the process: a later entry
 * can only be applied on top of the one it could not apply.
 */
final class ApplyHalt {
  private static final Logger LOG = LoggerFactory.getLogger(ApplyHalt.class);

  private final String selfId;
  private volatile String reason;
  private volatile Runnable onHalt = () -> {};

  ApplyHalt(String selfId) {
    this.selfId = selfId;
  }

  boolean halted() {
    return reason != null;
  }

  Optional<String> reason() {
    return Optional.ofNullable(reason);
  }

  /** Runs once when this replica halts (RaftNode hands leadership away if it leads). */
  void onHalt(Runnable action) {
    this.onHalt = action;
  }

  /**
   * Stops applying: every later entry is left unapplied (the store keeps the last entry it could
   * apply, so a binary that supports the level applies the rest from there after a restart), and
   * reads of the stale state are refused. Once, with one FATAL line.
   *
   * @param index the first log index this replica leaves unapplied
   */
  synchronized void halt(String why, long index) {
    if (reason != null) {
      return;
    }
    reason = "stopped applying at index " + index + ": " + why
        + "; restart this node on a binary that supports it (docs/OPERATIONS.md, Upgrades)";
    LOG.error("FATAL apply halted node={} {}", selfId, reason);
    onHalt.run();
  }

  /**
   * The answer to an entry this replica did not apply. A completed future, not a failed one: Ratis
   * ends its apply thread (and the process) on a failed apply future when it next snapshots. The
   * entry's outcome is what the replicas that can apply it decide.
   */
  CompletableFuture<Message> notApplied() {
    CommandResult result = CommandResult.newBuilder().setRejected(Rejection.newBuilder()
        .setCode(RejectCode.REJECT_FAILED_PRECONDITION).setField("feature_level")
        .setMessage("node " + selfId + " " + reason + "; the entry's outcome is what the other nodes applied"))
        .build();
    return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFrom(result.toByteArray())));
  }

  /** A read refused because this replica is behind the log and never catching up. */
  StateUnavailableException unavailable() {
    return new StateUnavailableException("node " + selfId + " " + reason);
  }
}
