package org.ringrift.cluster.statemachine;

import static org.ringrift.cluster.proto.Command.BodyCase.ANNOTATE_ITEM;
import static org.ringrift.cluster.proto.Command.BodyCase.BLACKLIST_NODE;
import static org.ringrift.cluster.proto.Command.BodyCase.CANCEL;
import static org.ringrift.cluster.proto.Command.BodyCase.CLAIM;
import static org.ringrift.cluster.proto.Command.BodyCase.CLOSE_SESSION;
import static org.ringrift.cluster.proto.Command.BodyCase.COMPLETE;
import static org.ringrift.cluster.proto.Command.BodyCase.DRAIN_NODE;
import static org.ringrift.cluster.proto.Command.BodyCase.ENQUEUE;
import static org.ringrift.cluster.proto.Command.BodyCase.ENQUEUE_BATCH;
import static org.ringrift.cluster.proto.Command.BodyCase.EXPIRE_LEASES;
import static org.ringrift.cluster.proto.Command.BodyCase.EXTEND;
import static org.ringrift.cluster.proto.Command.BodyCase.FAIL;
import static org.ringrift.cluster.proto.Command.BodyCase.HEARTBEAT;
import static org.ringrift.cluster.proto.Command.BodyCase.OPEN_SESSION;
import static org.ringrift.cluster.proto.Command.BodyCase.PLAN_SYNC;
import static org.ringrift.cluster.proto.Command.BodyCase.PRUNE;
import static org.ringrift.cluster.proto.Command.BodyCase.PUBLISH_EVENT;
import static org.ringrift.cluster.proto.Command.BodyCase.RECORD_LEADER;
import static org.ringrift.cluster.proto.Command.BodyCase.REDRIVE;
import static org.ringrift.cluster.proto.Command.BodyCase.RELEASE;
import static org.ringrift.cluster.proto.Command.BodyCase.SET_CONFIG;
import static org.ringrift.cluster.proto.Command.BodyCase.SET_DAEMON_DESIRED;
import static org.ringrift.cluster.proto.Command.BodyCase.SET_FEATURE_LEVEL;
import static org.ringrift.cluster.proto.Command.BodyCase.SET_NODE_HEALTH;
import static org.ringrift.cluster.proto.Command.BodyCase.START;
import static org.ringrift.cluster.proto.Command.BodyCase.UNBLACKLIST_NODE;
import static org.ringrift.cluster.proto.Command.BodyCase.UPDATE_SYNC;
import static org.ringrift.cluster.statemachine.CommandHandler.leaderOnly;
import static org.ringrift.cluster.statemachine.CommandHandler.of;

import java.util.List;
import org.ringrift.cluster.proto.Command;
import org.ringrift.cluster.proto.ItemResult;
import org.ringrift.cluster.proto.ItemsResult;
import org.ringrift.cluster.proto.NodeRecord;
import org.ringrift.cluster.proto.NodeResult;
import org.ringrift.cluster.proto.SyncRecord;
import org.ringrift.cluster.proto.SyncResult;
import org.ringrift.cluster.proto.WorkItem;
import org.ringrift.cluster.statemachine.config.ConfigCommands;
import org.ringrift.cluster.statemachine.daemons.DaemonCommands;
import org.ringrift.cluster.statemachine.events.EventLog;
import org.ringrift.cluster.statemachine.features.FeatureCommands;
import org.ringrift.cluster.statemachine.features.FeatureLevels;
import org.ringrift.cluster.statemachine.leaders.LeaderCommands;
import org.ringrift.cluster.statemachine.nodes.NodeCommands;
import org.ringrift.cluster.statemachine.queue.ClaimCommands;
import org.ringrift.cluster.statemachine.queue.EnqueueCommands;
import org.ringrift.cluster.statemachine.queue.LeaseCommands;
import org.ringrift.cluster.statemachine.queue.QueueAdminCommands;
import org.ringrift.cluster.statemachine.queue.SetPriorityHandler;
import org.ringrift.cluster.statemachine.sessions.SessionCommands;
import org.ringrift.cluster.statemachine.sync.SyncCommands;

/**
 * The replicated commands of this build, each registered once: body, stateless checks, apply and
 * result. A new command is one line here: a handler class of its own (e.g. SetPriorityHandler), or
 * its family's check and apply methods joined by {@code of}; its feature level is the handler's
 * (FeatureLevels has the levels). CommandRegistryTest fails while a body case of {@link Command}
 * has no line.
 */
final class CommandCatalog {
  private CommandCatalog() {}

  static List<CommandHandler<?>> handlers(Handlers h, FeatureCommands features) {
    EnqueueCommands enqueue = h.enqueue();
    ClaimCommands claim = h.claim();
    LeaseCommands leases = h.leases();
    QueueAdminCommands admin = h.queueAdmin();
    NodeCommands nodes = h.nodes();
    LeaderCommands leaders = h.leaders();
    ConfigCommands config = h.config();
    DaemonCommands daemons = h.daemons();
    SyncCommands sync = h.sync();
    SessionCommands sessions = h.sessions();
    return List.of(
        // queue: producers and workers
        of(ENQUEUE, Command::getEnqueue, enqueue::check, (c, b, r) -> r.setEnqueue(enqueue.enqueue(c, b))),
        of(ENQUEUE_BATCH, Command::getEnqueueBatch, enqueue::check,
            (c, b, r) -> r.setEnqueueBatch(enqueue.enqueueBatch(c, b))),
        of(CLAIM, Command::getClaim, claim::check, (c, b, r) -> r.setClaim(claim.claim(c, b))),
        of(EXTEND, Command::getExtend, leases::check, (c, b, r) -> r.setItem(item(leases.extend(c, b)))),
        of(START, Command::getStart, b -> leases.checkToken(b.getItemId(), b.hasToken()),
            (c, b, r) -> r.setItem(item(leases.start(c, b)))),
        of(COMPLETE, Command::getComplete, leases::check, (c, b, r) -> r.setItem(item(leases.complete(c, b)))),
        of(FAIL, Command::getFail, leases::check, (c, b, r) -> r.setItem(item(leases.fail(c, b)))),
        of(RELEASE, Command::getRelease, b -> leases.checkToken(b.getItemId(), b.hasToken()),
            (c, b, r) -> r.setItem(item(leases.release(c, b)))),
        // queue: operators
        of(CANCEL, Command::getCancel, admin::check, (c, b, r) -> r.setItem(item(admin.cancel(c, b)))),
        of(REDRIVE, Command::getRedrive, admin::check, (c, b, r) -> r.setItems(items(admin.redrive(c, b)))),
        of(ANNOTATE_ITEM, Command::getAnnotateItem, admin::check, (c, b, r) -> r.setItem(item(admin.annotate(c, b))))
            .atLevel(FeatureLevels.ANNOTATE),
        new SetPriorityHandler(),
        leaderOnly(EXPIRE_LEASES, Command::getExpireLeases, admin::check,
            (c, b, r) -> r.setItems(items(admin.expireLeases(c, b)))),
        leaderOnly(PRUNE, Command::getPrune, admin::check, (c, b, r) -> r.setPrune(admin.prune(c, b))),
        // nodes
        of(HEARTBEAT, Command::getHeartbeat, nodes::check, (c, b, r) -> r.setNode(node(nodes.heartbeat(c, b)))),
        leaderOnly(SET_NODE_HEALTH, Command::getSetNodeHealth, nodes::check,
            (c, b, r) -> r.setNode(node(nodes.setHealth(c, b)))),
        of(BLACKLIST_NODE, Command::getBlacklistNode, nodes::check, (c, b, r) -> r.setNode(node(nodes.blacklist(c, b)))),
        of(UNBLACKLIST_NODE, Command::getUnblacklistNode, b -> NodeCommands.nodeId(b.getNodeId()),
            (c, b, r) -> r.setNode(node(nodes.unblacklist(c, b)))),
        of(DRAIN_NODE, Command::getDrainNode, b -> NodeCommands.nodeId(b.getNodeId()),
            (c, b, r) -> r.setNode(node(nodes.drain(c, b)))),
        // leadership, config, daemons, events
        leaderOnly(RECORD_LEADER, Command::getRecordLeader, leaders::check,
            (c, b, r) -> r.setLeader(leaders.record(c, b))),
        of(SET_CONFIG, Command::getSetConfig, config::check, (c, b, r) -> r.setConfig(config.set(c, b))),
        of(SET_DAEMON_DESIRED, Command::getSetDaemonDesired, daemons::check,
            (c, b, r) -> r.setDaemon(daemons.set(c, b))),
        of(PUBLISH_EVENT, Command::getPublishEvent, EventLog::checkPublish,
            (c, b, r) -> r.setEvent(c.events().append(b.getType(), b.getSubject(), b.getMessage()))),
        // sync
        leaderOnly(PLAN_SYNC, Command::getPlanSync, sync::check, (c, b, r) -> r.setSync(sync(sync.plan(c, b)))),
        of(UPDATE_SYNC, Command::getUpdateSync, sync::check, (c, b, r) -> r.setSync(sync(sync.update(c, b)))),
        // sessions and feature levels
        of(OPEN_SESSION, Command::getOpenSession, sessions::check, (c, b, r) -> r.setSession(sessions.open(c, b))),
        of(CLOSE_SESSION, Command::getCloseSession, sessions::check,
            (c, b, r) -> r.setSession(sessions.close(c, b))),
        of(SET_FEATURE_LEVEL, Command::getSetFeatureLevel, FeatureCommands::check,
            (c, b, r) -> r.setFeatureLevel(features.set(c.meta(), b))));
  }

  private static ItemResult item(WorkItem item) {
    return ItemResult.newBuilder().setItem(item).build();
  }

  private static ItemsResult items(List<WorkItem> items) {
    return ItemsResult.newBuilder().addAllItems(items).build();
  }

  private static NodeResult node(NodeRecord node) {
    return NodeResult.newBuilder().setNode(node).build();
  }

  private static SyncResult sync(SyncRecord record) {
    return SyncResult.newBuilder().setRecord(record).build();
  }
}
