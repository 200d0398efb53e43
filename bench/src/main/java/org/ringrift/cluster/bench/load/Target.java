package org.ringrift.cluster.bench.load;

/** A cluster the load generator drives: RingRift through ClusterClient, or etcd. */
interface Target extends AutoCloseable {
  /** "ringrift" or "etcd". */
  String name();

  /**
   * One closed-loop client, ready to run {@code ops} operations of {@code workload} (anything
   * the operations consume, such as items to claim, is created here, before timing starts).
   */
  Session session(int index, Workload workload, int ops, byte[] payload) throws Exception;

  /** One client's connection: not shared between threads. */
  interface Session extends AutoCloseable {
    /** Runs operation number {@code n}; throws when it fails or is rejected. */
    void op(long n) throws Exception;

    @Override
    void close();
  }
}
