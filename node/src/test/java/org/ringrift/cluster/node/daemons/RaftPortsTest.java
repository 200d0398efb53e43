package org.ringrift.cluster.node.daemons;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.LeaderNotReadyException;
import org.junit.jupiter.api.Test;
import org.ringrift.cluster.daemons.ClusterUnavailableException;
import org.ringrift.cluster.daemons.Leadership;
import org.ringrift.cluster.raft.LeadershipGate;
import org.ringrift.cluster.raft.RaftCallException;

/** The adapters from raft-core to the daemons' ports: what counts as an outage, and leadership as the daemons see it. */
class RaftPortsTest {
  /** Only failure classification is exercised: no call reaches the client. */
  private final RaftStateAccess access = new RaftStateAccess(null);

  @Test
  void anElectionIsAnOutageToWaitOutNotACrash() {
    LeaderNotReadyException notReady = new LeaderNotReadyException(
        RaftGroupMemberId.valueOf(RaftPeerId.valueOf("n1"), RaftGroupId.randomId()));
    assertThat(access.isOutage(notReady)).isTrue();
    assertThat(access.isOutage(new RaftCallException(RaftCallException.Kind.NO_LEADER, "no leader", null))).isTrue();
    assertThat(access.isOutage(new ClusterUnavailableException("down", null))).isTrue();
  }

  @Test
  void otherFailuresAreNotOutages() {
    assertThat(access.isOutage(new IOException("disk"))).isFalse();
    assertThat(access.isOutage(new IllegalStateException("bug"))).isFalse();
  }

  @Test
  void leadershipChangesReachTheDaemonsInTheirOwnTerms() {
    List<Consumer<LeadershipGate.Leadership>> listeners = new ArrayList<>();
    LeadershipGate.Leadership[] current = {LeadershipGate.Leadership.NONE};
    RaftLeadership leadership = new RaftLeadership(new org.ringrift.cluster.raft.LeadershipSource() {
      @Override
      public LeadershipGate.Leadership current() {
        return current[0];
      }

      @Override
      public void addListener(Consumer<LeadershipGate.Leadership> listener) {
        listeners.add(listener);
      }
    });
    List<Leadership> seen = new ArrayList<>();
    leadership.addListener(seen::add);
    assertThat(leadership.current().isReadyLeader()).isFalse();

    current[0] = new LeadershipGate.Leadership(7, 123);
    listeners.forEach(l -> l.accept(current[0]));

    assertThat(leadership.current()).isEqualTo(new Leadership(7, 123));
    assertThat(seen).containsExactly(new Leadership(7, 123));
  }
}
