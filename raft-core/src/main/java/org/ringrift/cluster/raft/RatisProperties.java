package org.ringrift.cluster.raft;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClientConfigKeys;
import javax.net.ssl.KeyManager;
import javax.net.ssl.TrustManager;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcTlsConfig;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;
import org.ringrift.cluster.raft.ratis.PurgeSafeGrpcRpcType;

/** The one place where Ratis keys are set. */
public final class RatisProperties {
  private RatisProperties() {}

  public static RaftProperties forServer(RaftSettings settings, Path storageDir, String host, int port) {
    return forServer(settings, storageDir, host, port, true);
  }

  /** {@code linearizableReads=false} only for a deliberately broken build (see {@link UnsafeTestHooks}). */
  public static RaftProperties forServer(RaftSettings settings, Path storageDir, String host, int port,
      boolean linearizableReads) {
    RaftProperties p = new RaftProperties();
    RaftServerConfigKeys.setStorageDir(p, List.of(storageDir.toFile()));
    // gRPC, with a log appender that cannot die on a purged entry (PurgeSafeLogAppender) and that
    // does not outlive its follower's membership (MembershipSafeLogAppender).
    RaftConfigKeys.Rpc.setType(p, new PurgeSafeGrpcRpcType());

    GrpcConfigKeys.Server.setHost(p, host);
    GrpcConfigKeys.Server.setPort(p, port);
    // Admin and client traffic share the server port (-1).
    GrpcConfigKeys.Admin.setPort(p, -1);
    GrpcConfigKeys.Client.setPort(p, -1);
    GrpcConfigKeys.setMessageSizeMax(p, SizeInBytes.valueOf(settings.grpcMessageMaxBytes()));

    RaftServerConfigKeys.Rpc.setTimeoutMin(p, time(settings.electionTimeoutMin()));
    RaftServerConfigKeys.Rpc.setTimeoutMax(p, time(settings.electionTimeoutMax()));
    RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMin(p, time(settings.electionTimeoutMin()));
    RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMax(p, time(settings.electionTimeoutMax()));
    RaftServerConfigKeys.Rpc.setRequestTimeout(p, time(settings.requestTimeout()));
    RaftServerConfigKeys.LeaderElection.setPreVote(p, true);

    // ReadIndex reads: the Ratis default answers reads from local state and can be stale.
    RaftServerConfigKeys.Read.setOption(p, linearizableReads
        ? RaftServerConfigKeys.Read.Option.LINEARIZABLE : RaftServerConfigKeys.Read.Option.DEFAULT);
    RaftServerConfigKeys.Read.setLeaderLeaseEnabled(p, false);
    RaftServerConfigKeys.Read.setTimeout(p, time(settings.requestTimeout()));

    // Acknowledge only after fsync: unsafe flush can lose acknowledged writes.
    RaftServerConfigKeys.Log.setUnsafeFlushEnabled(p, false);
    RaftServerConfigKeys.Log.setAsyncFlushEnabled(p, false);
    // No metadata entry per commit-index advance (Ratis default: on). Each was one more replicated,
    // fsynced entry per commit; without them a restarted node learns the commit index from the
    // leader. Measured: +23-59 % enqueue throughput (docs/PERFORMANCE.md, "Log metadata entries").
    RaftServerConfigKeys.Log.setLogMetadataEnabled(p, false);
    // Followers append synchronously (Ratis 3.2 default: composed, asynchronous appends). With
    // composed appends a heartbeat passes its consistency check against entries still queued for
    // the log and advances the commit index before they replace what is there: an old leader then
    // applied its own uncommitted entry, which the new leader had overwritten, and its state
    // diverged (chaos scenario netns, seed 6: docs/CHAOS.md bug 7).
    RaftServerConfigKeys.Log.setAppendEntriesComposeEnabled(p, false);
    RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf(settings.segmentSizeBytes()));
    RaftServerConfigKeys.Log.Appender.setBufferByteLimit(p, SizeInBytes.valueOf(settings.appenderBufferBytes()));
    RaftServerConfigKeys.Log.Appender.setInstallSnapshotEnabled(p, true);
    // Ratis' default chunk (16 MB) is larger than the gRPC message limit: a snapshot with a file
    // bigger than the limit could never be installed (found by rrbench catchup).
    RaftServerConfigKeys.Log.Appender.setSnapshotChunkSizeMax(p, SizeInBytes.valueOf(settings.snapshotChunkMaxBytes()));
    // Purge behind snapshots, so a down follower cannot pin the leader's log forever.
    RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, true);
    RaftServerConfigKeys.Log.setPurgeGap(p, settings.purgeGapEntries());
    RaftServerConfigKeys.Log.setPurgePreservationLogNum(p, 0);

    RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
    RaftServerConfigKeys.Snapshot.setTriggerWhenStopEnabled(p, true);
    RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, settings.snapshotThresholdEntries());
    RaftServerConfigKeys.Snapshot.setRetentionFileNum(p, settings.snapshotRetentionCount());
    // An operator's "snapshot take" means now, not after another 1024 entries.
    RaftServerConfigKeys.Snapshot.setCreationGap(p, 1);

    RaftServerConfigKeys.Write.setElementLimit(p, settings.pendingWriteLimit());
    // A resent request is answered from the retry cache instead of being appended again
    // (LeaderCalls), so an entry must outlive every resend of its request by a wide margin.
    RaftServerConfigKeys.RetryCache.setExpiryTime(p, time(retryCacheExpiry(settings)));
    return p;
  }

  /** How long a server remembers an applied request: ten request deadlines, at least a minute. */
  static Duration retryCacheExpiry(RaftSettings settings) {
    Duration tenDeadlines = settings.requestTimeout().multipliedBy(10);
    return tenDeadlines.compareTo(Duration.ofMinutes(1)) > 0 ? tenDeadlines : Duration.ofMinutes(1);
  }

  public static RaftProperties forClient(RaftSettings settings) {
    RaftProperties p = new RaftProperties();
    RaftClientConfigKeys.Rpc.setRequestTimeout(p, time(settings.requestTimeout()));
    GrpcConfigKeys.setMessageSizeMax(p, SizeInBytes.valueOf(settings.grpcMessageMaxBytes()));
    return p;
  }

  /**
   * Mutual TLS on the Raft port for everything Ratis serves and dials there: peer traffic, the
   * admin protocol and the Raft client (all three share the server port, see forServer).
   */
  public static Parameters tls(KeyManager keyManager, TrustManager trustManager) {
    GrpcTlsConfig config = new GrpcTlsConfig(keyManager, trustManager, true);
    Parameters parameters = new Parameters();
    GrpcConfigKeys.Server.setTlsConf(parameters, config);
    GrpcConfigKeys.Admin.setTlsConf(parameters, config);
    GrpcConfigKeys.Client.setTlsConf(parameters, config);
    return parameters;
  }

  static TimeDuration time(Duration duration) {
    return TimeDuration.valueOf(duration.toMillis(), TimeUnit.MILLISECONDS);
  }
}
