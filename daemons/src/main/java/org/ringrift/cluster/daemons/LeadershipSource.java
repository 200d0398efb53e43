package org.ringrift.cluster.daemons;

import java.util.function.Consumer;

/** Where the daemon manager learns this node's leadership; the node adapts its Raft gate to it. */
public interface LeadershipSource {
  /** A node that holds no Raft state never leads: its leader daemons stay in STANDBY. */
  LeadershipSource NEVER = new LeadershipSource() {
    @Override
    public Leadership current() {
      return Leadership.NONE;
    }

    @Override
    public void addListener(Consumer<Leadership> listener) {
      // Leadership never changes.
    }
  };

  Leadership current();

  /** Called on every change, on the thread that observed it; listeners must not block. */
  void addListener(Consumer<Leadership> listener);
}
