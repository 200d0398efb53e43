package org.ringrift.cluster.bench;

import com.google.protobuf.ByteString;
import java.util.SplittableRandom;
import org.ringrift.cluster.proto.ClaimRequest;
import org.ringrift.cluster.proto.Command;
import org.ringrift.cluster.proto.EnqueueRequest;
import org.ringrift.cluster.proto.WorkType;

/** The commands the benchmarks send: fixed shapes, seeded randomness, so runs compare. */
final class Workloads {
  static final int PAYLOAD_BYTES = 256;
  private static final ByteString PAYLOAD = payload();
  /** The ten real work types (WorkType 1-10). */
  private static final WorkType[] TYPES = {
      WorkType.WORK_TYPE_TRAINING, WorkType.WORK_TYPE_GPU_CMAES, WorkType.WORK_TYPE_CPU_CMAES,
      WorkType.WORK_TYPE_TOURNAMENT, WorkType.WORK_TYPE_GAUNTLET, WorkType.WORK_TYPE_SELFPLAY,
      WorkType.WORK_TYPE_DATA_MERGE, WorkType.WORK_TYPE_DATA_SYNC, WorkType.WORK_TYPE_VALIDATION,
      WorkType.WORK_TYPE_HYPERPARAM_SWEEP};

  private Workloads() {}

  private static ByteString payload() {
    byte[] bytes = new byte[PAYLOAD_BYTES];
    new SplittableRandom(42).nextBytes(bytes);
    return ByteString.copyFrom(bytes);
  }

  /** What the queue populator sends most: a selfplay job with a 256-byte payload. */
  static EnqueueRequest selfplay() {
    return EnqueueRequest.newBuilder()
        .setType(WorkType.WORK_TYPE_SELFPLAY)
        .setPriority(50)
        .setPayload(PAYLOAD)
        .build();
  }

  /** A typical enqueue command as it sits in the Raft log. */
  static Command enqueueCommand() {
    return Command.newBuilder().setNowMs(StoreHarness.NOW_MS).setEnqueue(selfplay()).build();
  }

  /** Items of every type and priority 0-100, in a seeded order. */
  static EnqueueRequest mixed(SplittableRandom random) {
    return EnqueueRequest.newBuilder()
        .setType(TYPES[random.nextInt(TYPES.length)])
        .setPriority(random.nextInt(101))
        .setPayload(PAYLOAD)
        .build();
  }

  /** A worker claiming one item of any type, as the worker agent does. */
  static Command claimOne(String worker) {
    return Command.newBuilder().setNowMs(StoreHarness.NOW_MS)
        .setClaim(ClaimRequest.newBuilder().setWorkerId(worker).setMaxItems(1)).build();
  }
}
