package org.ringrift.cluster.statemachine;

import org.ringrift.cluster.proto.Command;
import org.ringrift.cluster.proto.CommandBatch;
import org.ringrift.cluster.statemachine.events.EventLog;
import org.ringrift.cluster.statemachine.queue.QueueLimits;
import org.ringrift.cluster.statemachine.sessions.SessionCommands;
import org.ringrift.cluster.statemachine.sessions.SessionLimits;

/**
 * The checks of a command that need no state. The API edge runs them so bad input never reaches
 * the log; apply runs them again, because the log is the authority.
 */
public final class CommandChecks {
  private final Handlers handlers;
  private final int maxBatchCommands;

  public CommandChecks(QueueLimits limits) {
    this(limits, SessionLimits.defaults());
  }

  public CommandChecks(QueueLimits limits, SessionLimits sessionLimits) {
    this.handlers = Handlers.create(limits, sessionLimits);
    this.maxBatchCommands = limits.maxBatchCommands();
  }

  /**
   * The checks of a batch entry as a whole: at least one command, at most maxBatchCommands. Its
   * commands are checked one by one as they apply, so a bad one rejects only itself.
   */
  public void checkBatch(CommandBatch batch) {
    int count = batch.getCommandsCount();
    if (count == 0) {
      throw Rejections.invalid("commands", "a batch needs at least one command");
    }
    if (count > maxBatchCommands) {
      throw Rejections.invalid("commands", count + " commands in one batch is over the limit of "
          + maxBatchCommands + " (QueueLimits.maxBatchCommands)");
    }
  }

  /** Throws {@link Rejections.RejectedException} naming the field at fault. */
  public void check(Command command) {
    Handlers h = handlers;
    switch (command.getBodyCase()) {
      case ENQUEUE -> h.enqueue().check(command.getEnqueue());
      case ENQUEUE_BATCH -> h.enqueue().check(command.getEnqueueBatch());
      case CLAIM -> h.claim().checkRequest(command.getClaim());
      case EXTEND -> h.leases().check(command.getExtend());
      case START -> h.leases().checkToken(command.getStart().getItemId(), command.getStart().hasToken());
      case COMPLETE -> h.leases().check(command.getComplete());
      case FAIL -> h.leases().check(command.getFail());
      case RELEASE -> h.leases().checkToken(command.getRelease().getItemId(), command.getRelease().hasToken());
      case CANCEL -> h.queueAdmin().check(command.getCancel());
      case REDRIVE -> h.queueAdmin().check(command.getRedrive());
      case EXPIRE_LEASES -> h.queueAdmin().check(command.getExpireLeases());
      case PRUNE -> h.queueAdmin().check(command.getPrune());
      case HEARTBEAT -> h.nodes().check(command.getHeartbeat());
      case SET_NODE_HEALTH -> h.nodes().check(command.getSetNodeHealth());
      case BLACKLIST_NODE -> h.nodes().check(command.getBlacklistNode());
      case UNBLACKLIST_NODE -> org.ringrift.cluster.statemachine.nodes.NodeCommands.nodeId(
          command.getUnblacklistNode().getNodeId());
      case DRAIN_NODE -> org.ringrift.cluster.statemachine.nodes.NodeCommands.nodeId(command.getDrainNode().getNodeId());
      case RECORD_LEADER -> h.leaders().check(command.getRecordLeader());
      case SET_CONFIG -> h.config().check(command.getSetConfig());
      case SET_DAEMON_DESIRED -> h.daemons().check(command.getSetDaemonDesired());
      case PUBLISH_EVENT -> EventLog.checkPublish(command.getPublishEvent());
      case PLAN_SYNC -> h.sync().check(command.getPlanSync());
      case UPDATE_SYNC -> h.sync().check(command.getUpdateSync());
      case OPEN_SESSION -> h.sessions().check(command.getOpenSession());
      case CLOSE_SESSION -> h.sessions().check(command.getCloseSession());
      case SET_FEATURE_LEVEL -> org.ringrift.cluster.statemachine.features.FeatureCommands.check(
          command.getSetFeatureLevel());
      case ANNOTATE_ITEM -> h.queueAdmin().check(command.getAnnotateItem());
      // check() sees a batch only as a command inside another batch: a batch entry is taken
      // apart by apply, never checked as one command.
      case BATCH -> throw nestedBatch();
      case BODY_NOT_SET -> throw Rejections.invalid("body", "command has no body");
    }
    SessionCommands.checkRef(command);
    if (isLeaderOnly(command) && command.getExpectedTerm() == 0) {
      throw Rejections.invalid("expected_term", "leader-daemon commands must carry the term they were decided in");
    }
  }

  static Rejections.RejectedException nestedBatch() {
    return Rejections.invalid("batch", "a batch inside a batch is refused: a batch holds single commands");
  }

  /** Commands only a ready leader's daemons propose; they are always fenced. */
  public static boolean isLeaderOnly(Command command) {
    return switch (command.getBodyCase()) {
      case EXPIRE_LEASES, PRUNE, SET_NODE_HEALTH, RECORD_LEADER, PLAN_SYNC -> true;
      default -> false;
    };
  }
}
