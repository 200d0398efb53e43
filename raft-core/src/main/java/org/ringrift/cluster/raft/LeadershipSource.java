package org.ringrift.cluster.raft;

import java.util.function.Consumer;

/** Read-only view of this node's leadership, for those who act on it (leader daemons). */
public interface LeadershipSource {
  LeadershipGate.Leadership current();

  /** Called on every change, on the thread that observed it; listeners must not block. */
  void addListener(Consumer<LeadershipGate.Leadership> listener);
}
