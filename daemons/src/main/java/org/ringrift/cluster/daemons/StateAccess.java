package org.ringrift.cluster.daemons;

import java.util.concurrent.CompletableFuture;
import org.ringrift.cluster.proto.Command;
import org.ringrift.cluster.proto.CommandResult;
import org.ringrift.cluster.proto.Query;
import org.ringrift.cluster.proto.QueryResult;

/**
 * Where a daemon's commands and reads go: this node's own Raft client on a member, or the admin
 * API of the members on a worker-only node that holds no Raft state. A rejection by the state
 * machine is a {@link CommandResult} or {@link QueryResult} carrying it, on either path.
 */
public interface StateAccess {
  CompletableFuture<CommandResult> submit(Command.Builder command);

  /** A linearizable read. */
  CompletableFuture<QueryResult> read(Query query);

  /**
   * Whether a failed call says only that no leader answered (an election, a timeout), not
   * anything about the command: the daemon waits for the cluster instead of crashing. The path
   * knows its own failures; {@link ClusterUnavailableException} is one on every path.
   */
  default boolean isOutage(Throwable failure) {
    return failure instanceof ClusterUnavailableException;
  }
}
