package org.ringrift.cluster.daemons;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.ringrift.cluster.proto.Command;
import org.ringrift.cluster.proto.CommandResult;
import org.ringrift.cluster.proto.Query;
import org.ringrift.cluster.proto.QueryResult;

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
      if (cause instanceof ClusterUnavailableException || client.isOutage(cause)) {
        throw new ClusterUnavailableException("cluster unavailable: " + cause, cause);
      }
      throw cause instanceof Exception exception ? exception : e;
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new ClusterUnavailableException("no answer from the cluster within " + timeout.toMillis() + " ms", e);
    }
  }
}
