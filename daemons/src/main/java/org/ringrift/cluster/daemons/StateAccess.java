package org.ringrift.cluster.daemons;

import java.util.concurrent.CompletableFuture;
import org.ringrift.cluster.proto.Command;
import org.ringrift.cluster.proto.CommandResult;
import org.ringrift.cluster.proto.Query;
import org.ringrift.cluster.proto.QueryResult;
import org.ringrift.cluster.raft.ReplicatedClient;

/**
 * Where a daemon's commands and reads go: this node's own Raft client on a member, or the admin
 * API of the members on a worker-only node that holds no Raft state. A rejection by the state
 * machine is a {@link CommandResult} or {@link QueryResult} carrying it, on either path.
 */
public interface StateAccess {
  CompletableFuture<CommandResult> submit(Command.Builder command);

  /** A linearizable read. */
  CompletableFuture<QueryResult> read(Query query);

  static StateAccess of(ReplicatedClient client) {
    return new StateAccess() {
      @Override
      public CompletableFuture<CommandResult> submit(Command.Builder command) {
        return client.submit(command);
      }

      @Override
      public CompletableFuture<QueryResult> read(Query query) {
        return client.read(query);
      }
    };
  }
}
