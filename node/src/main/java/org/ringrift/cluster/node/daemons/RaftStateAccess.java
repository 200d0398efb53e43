package org.ringrift.cluster.node.daemons;

import java.util.concurrent.CompletableFuture;
import org.apache.ratis.protocol.exceptions.LeaderNotReadyException;
import org.apache.ratis.protocol.exceptions.LeaderSteppingDownException;
import org.apache.ratis.protocol.exceptions.NotLeaderException;
import org.apache.ratis.protocol.exceptions.RaftRetryFailureException;
import org.apache.ratis.protocol.exceptions.ReadIndexException;
import org.apache.ratis.protocol.exceptions.TimeoutIOException;
import org.ringrift.cluster.daemons.ClusterUnavailableException;
import org.ringrift.cluster.daemons.LocalState;
import org.ringrift.cluster.daemons.StateAccess;
import org.ringrift.cluster.proto.Command;
import org.ringrift.cluster.proto.CommandResult;
import org.ringrift.cluster.proto.Query;
import org.ringrift.cluster.proto.QueryResult;
import org.ringrift.cluster.raft.RaftCallException;
import org.ringrift.cluster.raft.ReplicatedClient;
import org.ringrift.cluster.raft.StateUnavailableException;

/**
 * A Raft member's path to the replicated state, for its daemons: its own Raft client. Knows
 * which of Raft's failures mean only that no leader answered (the daemon waits them out), and
 * that a local read during a snapshot install is the same kind of wait.
 */
public final class RaftStateAccess implements StateAccess, LocalState {
  private final ReplicatedClient client;

  public RaftStateAccess(ReplicatedClient client) {
    this.client = client;
  }

  @Override
  public CompletableFuture<CommandResult> submit(Command.Builder command) {
    return client.submit(command);
  }

  @Override
  public CompletableFuture<QueryResult> read(Query query) {
    return client.read(query);
  }

  @Override
  public QueryResult readLocal(Query query) throws Exception {
    try {
      return client.readLocal(query);
    } catch (StateUnavailableException e) {
      throw new ClusterUnavailableException(e.getMessage(), e);
    }
  }

  /** Failures that say nothing about the command, only that no leader answered: Raft's and this node's calls'. */
  @Override
  public boolean isOutage(Throwable failure) {
    return failure instanceof RaftRetryFailureException
        || failure instanceof NotLeaderException
        || failure instanceof LeaderNotReadyException
        || failure instanceof LeaderSteppingDownException
        || failure instanceof ReadIndexException
        || failure instanceof TimeoutIOException
        || failure instanceof RaftCallException
        || StateAccess.super.isOutage(failure);
  }
}
