package org.ringrift.cluster.bench.load;

import java.util.Arrays;
import java.util.List;

/**
 * What one operation of a closed-loop client is. Each maps to the same number of replicated
 * writes on both systems, so that throughputs compare like with like.
 */
enum Workload {
  /** One durable write: RingRift enqueue / etcd put. */
  ENQUEUE("enqueue", 1),
  /** Two durable writes: claim one item and complete it with its lease token / two compare-revision txns. */
  CLAIM_COMPLETE("claim-complete", 2),
  /** Four durable writes, as a worker does: enqueue, claim, extend, complete / put and three txns. */
  MIXED("mixed", 4),
  /** One linearizable read: queue get of one item / etcd range get (not serializable). */
  READ("read", 0);

  private final String label;
  private final int writesPerOp;

  Workload(String label, int writesPerOp) {
    this.label = label;
    this.writesPerOp = writesPerOp;
  }

  String label() {
    return label;
  }

  int writesPerOp() {
    return writesPerOp;
  }

  static Workload parse(String label) {
    for (Workload workload : values()) {
      if (workload.label.equals(label)) {
        return workload;
      }
    }
    throw new IllegalArgumentException("--workload: unknown '" + label + "'; one of "
        + Arrays.stream(values()).map(Workload::label).toList());
  }

  static List<Workload> all() {
    return List.of(values());
  }
}
