package org.ringrift.cluster.node.daemons;

import java.util.function.Consumer;
import org.ringrift.cluster.daemons.Leadership;
import org.ringrift.cluster.daemons.LeadershipSource;
import org.ringrift.cluster.raft.LeadershipGate;

/** This member's Raft leadership gate, as the daemon manager's leadership source. */
public final class RaftLeadership implements LeadershipSource {
  private final org.ringrift.cluster.raft.LeadershipSource gate;

  public RaftLeadership(org.ringrift.cluster.raft.LeadershipSource gate) {
    this.gate = gate;
  }

  @Override
  public Leadership current() {
    return view(gate.current());
  }

  @Override
  public void addListener(Consumer<Leadership> listener) {
    gate.addListener(next -> listener.accept(view(next)));
  }

  static Leadership view(LeadershipGate.Leadership raft) {
    return new Leadership(raft.readyTerm(), raft.readySinceNanos());
  }
}
