package org.ringrift.cluster.statemachine;

import com.google.protobuf.ByteString;
import java.util.List;
import org.ringrift.cluster.proto.BlacklistNodeRequest;
import org.ringrift.cluster.proto.CancelRequest;
import org.ringrift.cluster.proto.ClaimRequest;
import org.ringrift.cluster.proto.Command;
import org.ringrift.cluster.proto.CompleteRequest;
import org.ringrift.cluster.proto.DrainNodeRequest;
import org.ringrift.cluster.proto.ExpireLeasesRequest;
import org.ringrift.cluster.proto.ExtendRequest;
import org.ringrift.cluster.proto.FailRequest;
import org.ringrift.cluster.proto.HeartbeatRequest;
import org.ringrift.cluster.proto.LeaseToken;
import org.ringrift.cluster.proto.NodeHealth;
import org.ringrift.cluster.proto.PlanSyncRequest;
import org.ringrift.cluster.proto.PruneRequest;
import org.ringrift.cluster.proto.PublishEventRequest;
import org.ringrift.cluster.proto.RecordLeaderRequest;
import org.ringrift.cluster.proto.RedriveRequest;
import org.ringrift.cluster.proto.ReleaseRequest;
import org.ringrift.cluster.proto.SetConfigRequest;
import org.ringrift.cluster.proto.SetDaemonDesiredRequest;
import org.ringrift.cluster.proto.SetNodeHealthRequest;
import org.ringrift.cluster.proto.StartRequest;
import org.ringrift.cluster.proto.SyncStatus;
import org.ringrift.cluster.proto.UnblacklistNodeRequest;
import org.ringrift.cluster.proto.UpdateSyncRequest;
import org.ringrift.cluster.proto.WorkItem;

/** One-line builders of every command, so tests read as scenarios. */
final class Commands {
  static final String SHA = "ab".repeat(32);

  private Commands() {}

  static Command.Builder claim(String worker, String node, int maxItems) {
    return Command.newBuilder().setClaim(ClaimRequest.newBuilder().setWorkerId(worker).setNodeId(node).setMaxItems(maxItems));
  }

  static Command.Builder extend(WorkItem item, long leaseMs) {
    return extend(item.getId(), item.getLease(), leaseMs);
  }

  static Command.Builder extend(String id, LeaseToken token, long leaseMs) {
    return Command.newBuilder().setExtend(ExtendRequest.newBuilder().setItemId(id).setToken(token).setLeaseMs(leaseMs));
  }

  static Command.Builder start(WorkItem item) {
    return Command.newBuilder().setStart(StartRequest.newBuilder().setItemId(item.getId()).setToken(item.getLease()));
  }

  static Command.Builder complete(WorkItem item, String result) {
    return Command.newBuilder().setComplete(CompleteRequest.newBuilder().setItemId(item.getId())
        .setToken(item.getLease()).setResult(ByteString.copyFromUtf8(result)));
  }

  static Command.Builder fail(WorkItem item, String error, boolean permanent) {
    return Command.newBuilder().setFail(FailRequest.newBuilder().setItemId(item.getId()).setToken(item.getLease())
        .setError(error).setPermanent(permanent));
  }

  static Command.Builder release(WorkItem item) {
    return Command.newBuilder().setRelease(ReleaseRequest.newBuilder().setItemId(item.getId()).setToken(item.getLease()));
  }

  static Command.Builder cancel(String id, String reason) {
    return Command.newBuilder().setCancel(CancelRequest.newBuilder().setItemId(id).setReason(reason));
  }

  static Command.Builder redrive(String... ids) {
    return Command.newBuilder().setRedrive(RedriveRequest.newBuilder().addAllItemIds(List.of(ids)));
  }

  static Command.Builder redriveAll(int limit) {
    return Command.newBuilder().setRedrive(RedriveRequest.newBuilder().setAll(true).setLimit(limit));
  }

  static Command.Builder expireLeases(int maxItems) {
    return Command.newBuilder().setExpireLeases(ExpireLeasesRequest.newBuilder().setMaxItems(maxItems));
  }

  static Command.Builder prune(int maxItems) {
    return Command.newBuilder().setPrune(PruneRequest.newBuilder().setMaxItems(maxItems));
  }

  static Command.Builder heartbeat(String node, String... capabilities) {
    return Command.newBuilder().setHeartbeat(HeartbeatRequest.newBuilder().setNodeId(node).addRoles("worker")
        .addAllCapabilities(List.of(capabilities)).putResources("gpus", "1").putDaemonStates("heartbeat", "RUNNING"));
  }

  static Command.Builder health(String node, NodeHealth health) {
    return Command.newBuilder().setSetNodeHealth(SetNodeHealthRequest.newBuilder().setNodeId(node).setHealth(health));
  }

  static Command.Builder blacklist(String node, long durationMs, String reason) {
    return Command.newBuilder().setBlacklistNode(BlacklistNodeRequest.newBuilder().setNodeId(node)
        .setDurationMs(durationMs).setReason(reason));
  }

  static Command.Builder unblacklist(String node) {
    return Command.newBuilder().setUnblacklistNode(UnblacklistNodeRequest.newBuilder().setNodeId(node));
  }

  static Command.Builder drain(String node, boolean draining) {
    return Command.newBuilder().setDrainNode(DrainNodeRequest.newBuilder().setNodeId(node).setDraining(draining));
  }

  static Command.Builder recordLeader(String leader) {
    return Command.newBuilder().setRecordLeader(RecordLeaderRequest.newBuilder().setLeaderId(leader));
  }

  static Command.Builder setConfig(String key, String value) {
    return Command.newBuilder().setSetConfig(SetConfigRequest.newBuilder().setKey(key).setValue(value));
  }

  static Command.Builder daemon(String name, boolean enabled) {
    return Command.newBuilder().setSetDaemonDesired(SetDaemonDesiredRequest.newBuilder().setName(name).setEnabled(enabled));
  }

  static Command.Builder publish(String type, String subject, String message) {
    return Command.newBuilder().setPublishEvent(PublishEventRequest.newBuilder().setType(type).setSubject(subject)
        .setMessage(message));
  }

  static PlanSyncRequest.Builder plan(String file) {
    return PlanSyncRequest.newBuilder().setDataset("selfplay-hex8").setFile(file).setSizeBytes(1_000)
        .setSha256(SHA).setSourceNode("n1").setTargetNode("n2");
  }

  static Command.Builder planSync(PlanSyncRequest.Builder request) {
    return Command.newBuilder().setPlanSync(request);
  }

  static Command.Builder updateSync(String syncId, SyncStatus status, long bytesDone) {
    return Command.newBuilder().setUpdateSync(UpdateSyncRequest.newBuilder().setSyncId(syncId).setStatus(status)
        .setBytesDone(bytesDone).setMethod("grpc"));
  }
}
