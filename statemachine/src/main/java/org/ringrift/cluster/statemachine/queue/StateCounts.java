package org.ringrift.cluster.statemachine.queue;

import org.ringrift.cluster.proto.QueueStats;
import org.ringrift.cluster.proto.WorkState;
import org.ringrift.cluster.statemachine.Meta;
import org.ringrift.cluster.statemachine.store.MetaKeys;

/** Item counts per state, kept up to date on every transition so stats never scan. */
final class StateCounts {
  private StateCounts() {}

  static byte[] key(WorkState state) {
    return MetaKeys.key("count." + state.name());
  }

  static void move(Meta meta, WorkState from, WorkState to) {
    if (from != WorkState.WORK_STATE_UNSPECIFIED) {
      meta.add(key(from), -1);
    }
    meta.add(key(to), 1);
  }

  static QueueStats read(Meta meta) {
    return QueueStats.newBuilder()
        .setPending(meta.read(key(WorkState.WORK_STATE_PENDING)))
        .setClaimed(meta.read(key(WorkState.WORK_STATE_CLAIMED)))
        .setRunning(meta.read(key(WorkState.WORK_STATE_RUNNING)))
        .setCompleted(meta.read(key(WorkState.WORK_STATE_COMPLETED)))
        .setFailed(meta.read(key(WorkState.WORK_STATE_FAILED)))
        .setTimeout(meta.read(key(WorkState.WORK_STATE_TIMEOUT)))
        .setCancelled(meta.read(key(WorkState.WORK_STATE_CANCELLED)))
        .setStaleTokenRejections(meta.read(MetaKeys.STALE_TOKEN_REJECTIONS))
        .build();
  }
}
