package org.ringrift.cluster.raft.ratis;

import org.apache.ratis.conf.Parameters;
import org.apache.ratis.grpc.GrpcFactory;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.leader.FollowerInfo;
import org.apache.ratis.server.leader.LeaderState;
import org.apache.ratis.server.leader.LogAppender;

/**
 * Ratis' gRPC transport, with the leader's log appender patched for two Ratis 3.2.2 bugs:
 * {@link PurgeSafeLogAppender} and {@link MembershipSafeLogAppender}.
 */
public final class PurgeSafeGrpcFactory extends GrpcFactory {
  public PurgeSafeGrpcFactory(Parameters parameters) {
    super(parameters);
  }

  @Override
  public LogAppender newLogAppender(RaftServer.Division server, LeaderState state, FollowerInfo follower) {
    return new MembershipSafeLogAppender(server, state, follower);
  }
}
