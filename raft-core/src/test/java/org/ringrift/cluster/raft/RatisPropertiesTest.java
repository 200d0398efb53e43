package org.ringrift.cluster.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.junit.jupiter.api.Test;

/** The size relations between Ratis keys that the design depends on. */
class RatisPropertiesTest {
  private static final long REQUEST_OVERHEAD_BYTES = 64 * 1024;

  private static RaftProperties server(RaftSettings settings) {
    return RatisProperties.forServer(settings, Path.of("/nonexistent"), "127.0.0.1", 1);
  }

  @Test
  void aSnapshotChunkAndAnAppenderBatchFitInOneGrpcMessage() {
    for (RaftSettings settings : new RaftSettings[] {RaftSettings.defaults(), RaftSettings.defaults()
        .withSnapshotThresholdEntries(100)}) {
      RaftProperties p = server(settings);
      long message = GrpcConfigKeys.messageSizeMax(p, m -> { }).getSize();

      assertThat(RaftServerConfigKeys.Log.Appender.snapshotChunkSizeMax(p).getSize() + REQUEST_OVERHEAD_BYTES)
          .isLessThanOrEqualTo(message);
      assertThat(RaftServerConfigKeys.Log.Appender.bufferByteLimit(p).getSize() + 1024 * 1024)
          .isLessThanOrEqualTo(message);
    }
  }

  @Test
  void readsAreLinearizableAndWritesDurable() {
    RaftProperties p = server(RaftSettings.defaults());

    assertThat(RaftServerConfigKeys.Read.option(p)).isEqualTo(RaftServerConfigKeys.Read.Option.LINEARIZABLE);
    assertThat(RaftServerConfigKeys.Log.unsafeFlushEnabled(p)).isFalse();
    assertThat(RaftServerConfigKeys.Log.asyncFlushEnabled(p)).isFalse();
    assertThat(RaftServerConfigKeys.Log.logMetadataEnabled(p)).isFalse();
    // Composed follower appends let an old leader apply its own overwritten entry (CHAOS.md bug 7).
    assertThat(RaftServerConfigKeys.Log.appendEntriesComposeEnabled(p)).isFalse();
  }

  /** A resent request must find its first copy in the retry cache (LeaderCalls), long after its deadline. */
  @Test
  void theRetryCacheOutlivesEveryResendOfARequest() {
    RaftSettings settings = RaftSettings.defaults();
    RaftProperties p = server(settings);

    long expiryMs = RaftServerConfigKeys.RetryCache.expiryTime(p).toLong(java.util.concurrent.TimeUnit.MILLISECONDS);
    assertThat(expiryMs).isGreaterThanOrEqualTo(10 * settings.requestTimeout().toMillis());
  }
}
