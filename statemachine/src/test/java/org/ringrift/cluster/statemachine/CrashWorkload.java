package org.ringrift.cluster.statemachine;

import org.ringrift.cluster.contract.names.ConfigKeys;
import org.ringrift.cluster.statemachine.queue.QueueLimits;
import com.google.protobuf.ByteString;
import org.ringrift.cluster.proto.ClaimRequest;
import org.ringrift.cluster.proto.Command;
import org.ringrift.cluster.proto.CompleteRequest;
import org.ringrift.cluster.proto.EnqueueRequest;
import org.ringrift.cluster.proto.GetItemRequest;
import org.ringrift.cluster.proto.Query;
import org.ringrift.cluster.proto.QueueStats;
import org.ringrift.cluster.proto.SetConfigRequest;
import org.ringrift.cluster.proto.WorkItem;
import org.ringrift.cluster.proto.WorkType;

/**
 * The crash test's log: the command at each index is a function of the index alone, so the state
 * after any applied index can be computed without knowing what the killed process did.
 *
 * <p>Indexes 1 and 2 raise the pending hard and soft limits (the queue grows by one item per
 * cycle and must not reach backpressure, which would change the counts); from index 3 on, cycles
 * of four: enqueue, enqueue, claim one, complete the item that claim took. All items have one
 * priority, so cycle k claims and completes w-(k+1).
 */
final class CrashWorkload {
  static final long TERM = 1;
  static final long NOW_MS = 1_000_000;
  private static final long CONFIG_ENTRIES = 2;

  private CrashWorkload() {}

  /** The command at {@code index}; the complete step reads the lease token from the state. */
  static Command command(long index, ReplicatedState state) {
    Command.Builder command = Command.newBuilder().setNowMs(NOW_MS);
    if (index <= CONFIG_ENTRIES) {
      String key = index == 1 ? ConfigKeys.PENDING_HARD_LIMIT : ConfigKeys.PENDING_SOFT_LIMIT;
      return command.setSetConfig(SetConfigRequest.newBuilder().setKey(key).setValue("1000000")).build();
    }
    long step = index - CONFIG_ENTRIES - 1;
    long cycle = step / 4;
    return switch ((int) (step % 4)) {
      case 0, 1 -> command.setEnqueue(EnqueueRequest.newBuilder().setType(WorkType.WORK_TYPE_SELFPLAY)
          .setPriority(50).setPayload(ByteString.copyFromUtf8("{\"entry\":" + index + "}"))).build();
      case 2 -> command.setClaim(ClaimRequest.newBuilder().setWorkerId("crash-worker").setMaxItems(1)).build();
      default -> {
        // The token is whatever the claim one entry earlier wrote: read it, as a restarted
        // worker would from its own record, so this works after a crash between the two.
        String id = "w-" + (cycle + 1);
        WorkItem claimed = state.query(Query.newBuilder().setGetItem(GetItemRequest.newBuilder().setItemId(id)).build())
            .getGetItem().getItem();
        yield command.setComplete(CompleteRequest.newBuilder().setItemId(id).setToken(claimed.getLease())).build();
      }
    };
  }

  /** The queue counts after every entry up to {@code applied} is applied. */
  static QueueStats expectedStats(long applied) {
    long steps = Math.max(0, applied - CONFIG_ENTRIES);
    long cycles = steps / 4;
    long rest = steps % 4;
    long enqueued = 2 * cycles + Math.min(rest, 2);
    long claimed = cycles + (rest >= 3 ? 1 : 0);
    long completed = cycles;
    QueueStats.Builder stats = QueueStats.newBuilder()
        .setPending(enqueued - claimed)
        .setClaimed(claimed - completed)
        .setCompleted(completed)
        .setCompletedTotal(completed);
    if (enqueued - claimed > 0) {
      stats.putPendingByType("selfplay", enqueued - claimed);
    }
    if (claimed - completed > 0) {
      stats.setOldestLeaseExpiresMs(NOW_MS + QueueLimits.defaults().defaultLeaseMs());
    }
    if (completed > 0) {
      stats.setOldestTerminalFinishedMs(NOW_MS);
    }
    return stats.build();
  }
}
