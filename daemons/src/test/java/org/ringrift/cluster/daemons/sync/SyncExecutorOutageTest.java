package org.ringrift.cluster.daemons.sync;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ringrift.cluster.daemons.ClusterUnavailableException;
import org.ringrift.cluster.daemons.DaemonContext;
import org.ringrift.cluster.daemons.Proposals;
import org.ringrift.cluster.daemons.StateAccess;
import org.ringrift.cluster.proto.Command;
import org.ringrift.cluster.proto.CommandResult;
import org.ringrift.cluster.proto.Query;
import org.ringrift.cluster.proto.QueryResult;

/** An election while the executor looks for work is an outage to wait out, not a crash that uses up restarts. */
class SyncExecutorOutageTest {
  @TempDir Path dir;

  @Test
  void aTickDuringAnElectionReportsTheClusterUnavailable() {
    StateAccess electing = new StateAccess() {
      @Override
      public CompletableFuture<CommandResult> submit(Command.Builder command) {
        return CompletableFuture.failedFuture(notReady());
      }

      @Override
      public CompletableFuture<QueryResult> read(Query query) {
        return CompletableFuture.failedFuture(notReady());
      }
    };
    SyncExecutor executor = new SyncExecutor(new Proposals(electing, Duration.ofSeconds(1)), "n1",
        SyncSettings.defaults(dir, List.of()), (endpoint, request) -> {
          throw new AssertionError("no transfer without a task");
        }, SyncListener.NONE, System::nanoTime);

    assertThatThrownBy(() -> executor.tick(new DaemonContext(0, 0, System::nanoTime)))
        .isInstanceOf(ClusterUnavailableException.class);
  }

  /** How every path reports an election (the Raft path's own failures are mapped in node: RaftPortsTest). */
  private static ClusterUnavailableException notReady() {
    return new ClusterUnavailableException("leader not ready: an election is in progress", null);
  }
}
