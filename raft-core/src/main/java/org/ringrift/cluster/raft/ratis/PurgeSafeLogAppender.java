package org.ringrift.cluster.raft.ratis;

import java.util.function.LongPredicate;
import org.apache.ratis.grpc.server.GrpcLogAppender;
import org.apache.ratis.proto.RaftProtos.AppendEntriesRequestProto;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.leader.FollowerInfo;
import org.apache.ratis.server.leader.LeaderState;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.server.raftlog.RaftLogIOException;
import org.apache.ratis.statemachine.SnapshotInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ratis' gRPC log appender with one race closed: the appender checks whether a follower needs a
 * snapshot, and only then reads the entries from the follower's next index. A reply that moves
 * the next index back (a restarted follower answering INCONSISTENCY) between the two makes it read
 * an entry the leader has already purged; Ratis 3.2.2 then kills the appender with "Log entry not
 * found" and its restart is skipped, so that follower gets nothing until the next leader change.
 *
 * <p>Here the append is skipped instead when the entry before the follower's next index is gone
 * and is not the follower's snapshot, and such a follower counts as one that needs a snapshot: the
 * appender's next round installs it. Upstream fixed the same race in RATIS-2487 and the skipped restart in RATIS-2499
 * (neither is released); drop this class when Ratis is upgraded past them.
 */
public class PurgeSafeLogAppender extends GrpcLogAppender {
  private static final Logger LOG = LoggerFactory.getLogger(PurgeSafeLogAppender.class);

  public PurgeSafeLogAppender(RaftServer.Division server, LeaderState leaderState, FollowerInfo follower) {
    super(server, leaderState, follower);
  }

  @Override
  public AppendEntriesRequestProto newAppendEntriesRequest(long callId, boolean heartbeat)
      throws RaftLogIOException {
    boolean sendsEntries = !heartbeat && getHeartbeatWaitTimeMs() > 0;
    if (sendsEntries && previousEntryPurged()) {
      FollowerInfo follower = getFollower();
      LOG.info("append skipped, snapshot needed follower={} next_index={} follower_snapshot_index={}"
          + " leader_log_start_index={}", follower.getId(), follower.getNextIndex(), follower.getSnapshotIndex(),
          getRaftLog().getStartIndex());
      return null;
    }
    return super.newAppendEntriesRequest(callId, heartbeat);
  }

  /**
   * Ratis sends a snapshot only when the follower's next index is below the log start; a follower
   * whose next index is the log start but whose previous entry is gone (and is not its snapshot)
   * needs one too, or {@link #newAppendEntriesRequest} would skip it forever.
   */
  @Override
  public SnapshotInfo shouldInstallSnapshot() {
    SnapshotInfo snapshot = super.shouldInstallSnapshot();
    if (snapshot != null) {
      return snapshot;
    }
    boolean behind = getFollower().getNextIndex() < getRaftLog().getNextIndex();
    return behind && previousEntryPurged() ? getServer().getStateMachine().getLatestSnapshot() : null;
  }

  private boolean previousEntryPurged() {
    FollowerInfo follower = getFollower();
    SnapshotInfo snapshot = getServer().getStateMachine().getLatestSnapshot();
    return previousEntryMissing(follower.getNextIndex(), follower.getSnapshotIndex(),
        index -> getRaftLog().getTermIndex(index) != null, snapshot == null ? -1 : snapshot.getIndex());
  }

  /**
   * Whether an append from {@code nextIndex} lacks the entry before it: not in the log, not the
   * follower's snapshot (which needs no previous entry) and not the leader's latest snapshot.
   */
  static boolean previousEntryMissing(long nextIndex, long followerSnapshotIndex, LongPredicate inLog,
      long latestSnapshotIndex) {
    if (nextIndex <= RaftLog.LEAST_VALID_LOG_INDEX || nextIndex == followerSnapshotIndex + 1) {
      return false;
    }
    long previous = nextIndex - 1;
    return !inLog.test(previous) && latestSnapshotIndex != previous;
  }
}
