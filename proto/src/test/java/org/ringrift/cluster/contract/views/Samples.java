package org.ringrift.cluster.contract.views;

import com.google.protobuf.ByteString;
import org.ringrift.cluster.proto.Alert;
import org.ringrift.cluster.proto.ConfigEntry;
import org.ringrift.cluster.proto.DaemonDesired;
import org.ringrift.cluster.proto.DaemonInfo;
import org.ringrift.cluster.proto.DigestResult;
import org.ringrift.cluster.proto.Event;
import org.ringrift.cluster.proto.FeatureLevelResult;
import org.ringrift.cluster.proto.FeatureLevelStatus;
import org.ringrift.cluster.proto.LeaderRecord;
import org.ringrift.cluster.proto.LeaseToken;
import org.ringrift.cluster.proto.ListDaemonsResult;
import org.ringrift.cluster.proto.ListSessionsResult;
import org.ringrift.cluster.proto.MemberFeatures;
import org.ringrift.cluster.proto.NodeFacts;
import org.ringrift.cluster.proto.NodeHealth;
import org.ringrift.cluster.proto.NodeRecord;
import org.ringrift.cluster.proto.NodeStatus;
import org.ringrift.cluster.proto.PeerStatus;
import org.ringrift.cluster.proto.QueueStats;
import org.ringrift.cluster.proto.SessionInfo;
import org.ringrift.cluster.proto.SyncRecord;
import org.ringrift.cluster.proto.SyncStatus;
import org.ringrift.cluster.proto.WorkItem;
import org.ringrift.cluster.proto.WorkState;
import org.ringrift.cluster.proto.WorkType;

/** Messages with set and unset fields, 64-bit values past 2^53, enums, bytes and maps: what the views must print. */
final class Samples {
  private Samples() {}

  static WorkItem fullItem() {
    return WorkItem.newBuilder().setId("w-1").setType(WorkType.WORK_TYPE_GPU_CMAES).setState(WorkState.WORK_STATE_CLAIMED)
        .setPriority(7).setPayload(ByteString.copyFromUtf8("{\"board\":\"hex\"}")).setAttempts(2).setMaxAttempts(5)
        .setTimeoutMs(9_007_199_254_740_993L).setIdempotencyKey("k").setClaimedBy("wk").setClaimedNode("n2")
        .addDependsOn("w-0").setGroupKey("g").setTargetNode("n3").addExcludedNodes("n4").addRequiredCapabilities("gpu")
        .setNotBeforeMs(11).setLease(LeaseToken.newBuilder().setTerm(3).setSequence(44)).setLeaseExpiresMs(12)
        .setResult(ByteString.copyFromUtf8("ok")).setLastError("boom").setCreatedMs(1).setClaimedMs(2)
        .setFinishedMs(3).setNote("n").setUpdatedMs(99).setEnqueueSeq(5).build();
  }

  static WorkItem emptyItem() {
    return WorkItem.newBuilder().setId("w-2").build();
  }

  static NodeStatus status(boolean full) {
    if (!full) {
      return NodeStatus.newBuilder().setNodeId("n1").build();
    }
    return NodeStatus.newBuilder().setNodeId("n1").setClusterId("c").setLeaderId("n2").setIsLeader(false)
        .setRole("FOLLOWER").setTerm(4).setLeaderReady(true).setAlivePeers(2).setVotersAlive(3).setVoterQuorumOk(true)
        .setAppliedIndex(100).setCommitIndex(101).setLogStartIndex(5).setSnapshotIndex(90)
        .addPeers(PeerStatus.newBuilder().setId("n2").setAddress("h:1").setAlive(true).setLastContactMs(-1))
        .addPeers(PeerStatus.newBuilder().setId("n3").setAddress("h:2").setLastContactMs(250))
        .addAlerts(Alert.newBuilder().setName("quorum").setFiring(true).setSinceMs(77).setDetail("d"))
        .addAlerts(Alert.newBuilder().setName("disk"))
        .setFacts(NodeFacts.newBuilder().setFsyncP50Us(10).setFsyncMaxUs(20).setFsyncSamples(3)
            .setElectionTimeoutMinMs(150).setElectionTimeoutMaxMs(300).setReadOption("LINEARIZABLE")
            .setGrpcMessageMaxBytes(1 << 22).setAppenderBufferBytes(1 << 20).setClockMs(1234).setSnapshotTimeMs(55)
            .setSnapshotThresholdEntries(10_000).setTransport("mtls"))
        .setSessions(ListSessionsResult.newBuilder().setOpen(3).setDedupeHits(9))
        .setBinaryVersion("1.2.3").setMinFeatureLevel(1).setMaxFeatureLevel(4).setFeatureLevel(3).build();
  }

  static QueueStats queueStats() {
    return QueueStats.newBuilder().setPending(4).setClaimed(1).setCompleted(9_007_199_254_740_993L)
        .setBackpressureActive(true).putPendingByType("training", 3).putPendingByType("selfplay", 1)
        .setLeasesExpired(8).build();
  }

  static NodeRecord node(boolean full) {
    NodeRecord.Builder n = NodeRecord.newBuilder().setNodeId("n1").setFirstSeenMs(1);
    if (full) {
      n.setHealth(NodeHealth.NODE_HEALTH_SUSPECT).addRoles("training").addCapabilities("gpu").setLastHeartbeatMs(5)
          .setBlacklistedUntilMs(6).setBlacklistReason("r").setFailureCount(2).setDraining(true)
          .putResources("mem", "8G").putResources("cpu", "4").putDaemonStates("heartbeat", "running")
          .setManifestDigest("x").setManifestMs(3);
    }
    return n.build();
  }

  static SyncRecord sync(boolean full) {
    SyncRecord.Builder r = SyncRecord.newBuilder().setSyncId("s1").setStatus(SyncStatus.SYNC_STATUS_RUNNING)
        .setDataset("model").setFile("f").setSizeBytes(10).setSha256("ab").setSourceNode("n1").setTargetNode("n2")
        .setPlannedMs(4).setSeq(3).setUpdatedMs(8);
    if (full) {
      r.setBytesDone(5).setMethod("grpc").setError("e").setStartedMs(6).setFinishedMs(7);
    }
    return r.build();
  }

  static DaemonInfo daemon(boolean full) {
    DaemonInfo.Builder d = DaemonInfo.newBuilder().setName("heartbeat").setScope("NODE").setState("RUNNING");
    if (full) {
      d.setRestarts(2).setLastError("x").setLeaderTerm(3).setDesiredEnabled(true).setRestartsLastHour(1);
    }
    return d.build();
  }

  static ListDaemonsResult daemons() {
    return ListDaemonsResult.newBuilder().setNodeId("n1").addDaemons(daemon(true)).addDaemons(daemon(false)).build();
  }

  static ListSessionsResult sessions(boolean full) {
    ListSessionsResult.Builder r = ListSessionsResult.newBuilder().setOpen(2).setDedupeHits(1).setEvicted(3)
        .setExpired(4).setResultBytes(5).setRejectedExpired(6).setClosed(7)
        .addSessions(SessionInfo.newBuilder().setSessionId(1).setLastSeq(2).setAckedBelow(1).setOpenedMs(10)
            .setLastActiveMs(900).setResultsHeld(1).setResultBytes(30));
    if (full) {
      r.addSessions(SessionInfo.newBuilder().setSessionId(2).setClientName("rrctl").setLastActiveMs(2000))
          .setNextAfterSessionId(2);
    }
    return r.build();
  }

  static FeatureLevelStatus featureLevel() {
    return FeatureLevelStatus.newBuilder()
        .setLevel(FeatureLevelResult.newBuilder().setLevel(2).setPrevious(1).setMaxUsedLevel(2))
        .addMembers(MemberFeatures.newBuilder().setNodeId("n1").setRole("voter").setBinaryVersion("1.0")
            .setMinFeatureLevel(1).setMaxFeatureLevel(3))
        .addMembers(MemberFeatures.newBuilder().setNodeId("n2").setRole("voter")).build();
  }

  static FeatureLevelResult featureLevelResult() {
    return FeatureLevelResult.newBuilder().setLevel(3).setPrevious(2).setMaxUsedLevel(3).build();
  }

  static DigestResult digest() {
    return DigestResult.newBuilder().setAppliedTerm(2).setAppliedIndex(40).setDigest("deadbeef").build();
  }

  static ConfigEntry config() {
    return ConfigEntry.newBuilder().setKey("queue.pending_soft_limit").setValue("500").setIsDefault(true)
        .setDescription("d").build();
  }

  static Event event() {
    return Event.newBuilder().setSeq(9_007_199_254_740_993L).setType("WORK_ENQUEUED").setTimeMs(5).setTerm(2)
        .setSubject("w-1").setMessage("m").setLogIndex(4).build();
  }

  static LeaderRecord leader() {
    return LeaderRecord.newBuilder().setTerm(3).setLeaderId("n1").setSinceMs(77).build();
  }

  static DaemonDesired desired() {
    return DaemonDesired.newBuilder().setName("retention").setEnabled(false).setChangedMs(12).build();
  }
}
