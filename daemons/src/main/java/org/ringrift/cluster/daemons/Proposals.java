package org.ringrift.cluster.daemons;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.ringrift.cluster.proto.Command;
import org.ringrift.cluster.proto.CommandResult;
import org.ringrift.cluster.proto.Query;
import org.ringrift.cluster.proto.QueryResult;
import org.ringrift.cluster.raft.ReplicatedClient;

/**
 * How daemons talk to the replicated state: synchronously, with a deadline, and with every
 * command of a leader daemon stamped with the term it was started in.
 */
public final class Proposals {
  private final StateAccess client;
  private final Duration timeout;

  public Proposals(StateAccess client, Duration timeout) {
    this.client = client;
    this.timeout = timeout;
  }

  public Proposals(ReplicatedClient client, Duration timeout) {
    this(StateAccess.of(client), timeout);
  }

  /** Proposes a command fenced by the daemon's term (0 for every-node daemons: not fenced). */
  public CommandResult propose(DaemonContext context, Command.Builder command) throws Exception {
    return await(client.submit(command.setExpectedTerm(context.leaderTerm())));
  }

  public QueryResult read(Query query) throws Exception {
    return await(client.read(query));
  }

  private <T> T await(java.util.concurrent.CompletableFuture<T> future) throws Exception {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (unavailable(cause)) {
        throw new ClusterUnavailableException("cluster unavailable: " + cause, cause);
      }
      throw cause instanceof Exception exception ? exception : e;
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new ClusterUnavailableException("no answer from the cluster within " + timeout.toMillis() + " ms", e);
    }
  }

  /** Failures that say nothing about the command, only that no leader answered: Raft's and the admin client's. */
  private static boolean unavailable(Throwable cause) {
    return cause instanceof org.apache.ratis.protocol.exceptions.RaftRetryFailureException
        || cause instanceof org.apache.ratis.protocol.exceptions.NotLeaderException
        || cause instanceof org.apache.ratis.protocol.exceptions.LeaderNotReadyException
        || cause instanceof org.apache.ratis.protocol.exceptions.LeaderSteppingDownException
        || cause instanceof org.apache.ratis.protocol.exceptions.ReadIndexException
        || cause instanceof org.apache.ratis.protocol.exceptions.TimeoutIOException
        || cause instanceof org.ringrift.cluster.raft.RaftCallException
        || cause instanceof ClusterUnavailableException;
  }
}
