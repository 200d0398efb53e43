package org.ringrift.cluster.statemachine.queue;

import org.ringrift.cluster.contract.names.WorkTypes;
import org.ringrift.cluster.proto.QueueStats;
import org.ringrift.cluster.proto.WorkState;
import org.ringrift.cluster.proto.WorkType;
import org.ringrift.cluster.statemachine.Meta;
import org.ringrift.cluster.statemachine.store.MetaKeys;

/** Counters derived from items, kept in step by {@link ItemIndex} so that stats never scan. */
final class StateCounts {
  private StateCounts() {}

  static byte[] stateKey(WorkState state) {
    return MetaKeys.key("count." + state.name());
  }

  static byte[] pendingTypeKey(WorkType type) {
    return MetaKeys.key("pending." + type.name());
  }

  static byte[] groupKey(String group) {
    return MetaKeys.key("inflight.group." + group);
  }

  static long pending(Meta meta) {
    return meta.read(stateKey(WorkState.WORK_STATE_PENDING));
  }

  static long pending(Meta meta, WorkType type) {
    return meta.read(pendingTypeKey(type));
  }

  static long inFlight(Meta meta, String group) {
    return meta.read(groupKey(group));
  }

  static QueueStats read(Meta meta) {
    QueueStats.Builder stats = QueueStats.newBuilder()
        .setPending(meta.read(stateKey(WorkState.WORK_STATE_PENDING)))
        .setClaimed(meta.read(stateKey(WorkState.WORK_STATE_CLAIMED)))
        .setRunning(meta.read(stateKey(WorkState.WORK_STATE_RUNNING)))
        .setCompleted(meta.read(stateKey(WorkState.WORK_STATE_COMPLETED)))
        .setFailed(meta.read(stateKey(WorkState.WORK_STATE_FAILED)))
        .setTimeout(meta.read(stateKey(WorkState.WORK_STATE_TIMEOUT)))
        .setCancelled(meta.read(stateKey(WorkState.WORK_STATE_CANCELLED)))
        .setStaleTokenRejections(meta.read(MetaKeys.STALE_TOKEN_REJECTIONS))
        .setFencedRejections(meta.read(MetaKeys.FENCED_REJECTIONS))
        .setLeasesExpired(meta.read(MetaKeys.LEASES_EXPIRED))
        .setCompletedTotal(meta.read(MetaKeys.COMPLETED_TOTAL))
        .setBackpressureActive(meta.read(MetaKeys.BACKPRESSURE_ACTIVE) != 0);
    for (WorkType type : WorkTypes.all()) {
      long pending = meta.read(pendingTypeKey(type));
      if (pending != 0) {
        stats.putPendingByType(WorkTypes.name(type), pending);
      }
    }
    return stats.build();
  }
}
