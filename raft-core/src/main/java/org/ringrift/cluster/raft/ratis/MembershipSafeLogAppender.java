package org.ringrift.cluster.raft.ratis;

import org.apache.ratis.proto.RaftProtos.AppendEntriesRequestProto;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.leader.FollowerInfo;
import org.apache.ratis.server.leader.LeaderState;
import org.apache.ratis.server.raftlog.RaftLogIOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log appender, with one more Ratis 3.2.2 bug worked around: a leader elected while a joint
 * configuration (old, new) is uncommitted keeps an appender for a peer that only the old
 * configuration has. Its constructor makes appenders for every peer of the joint configuration,
 * and its first entry ({@code LeaderStateImpl.StartupLogEntry}) installs the new configuration
 * alone without stopping the appenders of the peers it drops ({@code replicateNewConf}, the normal
 * path, calls {@code updateSenders} first; the startup entry does not). Adding that peer back then
 * fails in {@code SenderList.addAll} with "Found duplicated element", and because the failed
 * request stays pending, every later membership change on that leader fails too (chaos bug 4).
 *
 * <p>Here an appender whose follower is caught up (so not a peer being bootstrapped by a
 * membership change, which is outside the configuration until it has caught up) and in neither the
 * current nor the previous configuration asks the leader to restart it; the leader stops it and,
 * finding no such peer in its configuration, does not create another (the same rule Ratis applies
 * on every restart). Not fixed upstream as of Ratis master in 2026; drop this class when it is.
 */
public class MembershipSafeLogAppender extends PurgeSafeLogAppender {
  private static final Logger LOG = LoggerFactory.getLogger(MembershipSafeLogAppender.class);

  public MembershipSafeLogAppender(RaftServer.Division server, LeaderState leaderState, FollowerInfo follower) {
    super(server, leaderState, follower);
  }

  @Override
  public AppendEntriesRequestProto newAppendEntriesRequest(long callId, boolean heartbeat)
      throws RaftLogIOException {
    if (isStale()) {
      FollowerInfo follower = getFollower();
      LOG.info("appender stopped, follower not in the configuration follower={} conf={}", follower.getId(),
          getServer().getRaftConf());
      getLeaderState().restart(this);
      return null;
    }
    return super.newAppendEntriesRequest(callId, heartbeat);
  }

  private boolean isStale() {
    FollowerInfo follower = getFollower();
    return isStale(getLeaderState().isFollowerBootstrapping(follower),
        getServer().getRaftConf().getPeer(follower.getId(), RaftPeerRole.FOLLOWER, RaftPeerRole.LISTENER) != null);
  }

  /** An appender is stale when its follower is not being bootstrapped and is in no configuration. */
  static boolean isStale(boolean bootstrapping, boolean inConfiguration) {
    return !bootstrapping && !inConfiguration;
  }
}
