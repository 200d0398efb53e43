package org.ringrift.cluster.workernode;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.ringrift.cluster.client.ClusterClient;
import org.ringrift.cluster.client.ClusterException;
import org.ringrift.cluster.daemons.StateAccess;
import org.ringrift.cluster.proto.Command;
import org.ringrift.cluster.proto.CommandResult;
import org.ringrift.cluster.proto.GetItemResult;
import org.ringrift.cluster.proto.ItemResult;
import org.ringrift.cluster.proto.ListDaemonDesiredResult;
import org.ringrift.cluster.proto.NodeResult;
import org.ringrift.cluster.proto.Query;
import org.ringrift.cluster.proto.QueryResult;
import org.ringrift.cluster.proto.RejectCode;
import org.ringrift.cluster.proto.Rejection;

/**
 * A worker-only node's path to the replicated state: the members' admin API, through the same
 * client operators use. Only what a worker does is reachable (heartbeat, claim, extend, start,
 * complete, fail, release; item, stats and desired-daemon reads); a rejection by the state
 * machine comes back as a rejected result, exactly as on a member's own Raft client.
 */
public final class RemoteStateAccess implements StateAccess {
  private final ClusterClient client;

  public RemoteStateAccess(ClusterClient client) {
    this.client = client;
  }

  @Override
  public CompletableFuture<CommandResult> submit(Command.Builder command) {
    return answer(() -> switch (command.getBodyCase()) {
      case HEARTBEAT -> CommandResult.newBuilder()
          .setNode(NodeResult.newBuilder().setNode(client.heartbeat(command.getHeartbeat()))).build();
      case CLAIM -> CommandResult.newBuilder().setClaim(client.claim(command.getClaim())).build();
      case EXTEND -> item(client.extend(command.getExtend()));
      case START -> item(client.start(command.getStart()));
      case COMPLETE -> item(client.complete(command.getComplete()));
      case FAIL -> item(client.fail(command.getFail()));
      case RELEASE -> item(client.release(command.getRelease()));
      default -> throw new IllegalArgumentException(
          "command " + command.getBodyCase() + " is not available to a worker-only node");
    }, rejection -> CommandResult.newBuilder().setRejected(rejection).build());
  }

  @Override
  public CompletableFuture<QueryResult> read(Query query) {
    return answer(() -> switch (query.getBodyCase()) {
      case GET_ITEM -> QueryResult.newBuilder()
          .setGetItem(GetItemResult.newBuilder().setItem(client.getItem(query.getGetItem().getItemId()))).build();
      case QUEUE_STATS -> QueryResult.newBuilder().setQueueStats(client.queueStats()).build();
      case LIST_DAEMONS -> QueryResult.newBuilder()
          .setListDaemons(ListDaemonDesiredResult.newBuilder().addAllDaemons(client.listDaemonDesired())).build();
      default -> throw new IllegalArgumentException(
          "query " + query.getBodyCase() + " is not available to a worker-only node");
    }, rejection -> QueryResult.newBuilder().setRejected(rejection).build());
  }

  private static CommandResult item(org.ringrift.cluster.proto.WorkItem item) {
    return CommandResult.newBuilder().setItem(ItemResult.newBuilder().setItem(item)).build();
  }

  private static <T> CompletableFuture<T> answer(Supplier<T> call, java.util.function.Function<Rejection, T> rejected) {
    try {
      return CompletableFuture.completedFuture(call.get());
    } catch (ClusterException e) {
      RejectCode code = rejectCode(e);
      if (code == null) {
        return CompletableFuture.failedFuture(e.kind() == org.ringrift.cluster.contract.errors.ErrorKind.UNAVAILABLE
            ? new org.ringrift.cluster.daemons.ClusterUnavailableException(e.getMessage(), e) : e);
      }
      return CompletableFuture.completedFuture(rejected.apply(
          Rejection.newBuilder().setCode(code).setMessage(e.getMessage()).build()));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** The state machine's verdict behind a client error, or null when the call did not get one (unavailable). */
  private static RejectCode rejectCode(ClusterException e) {
    return org.ringrift.cluster.contract.errors.Rejections.code(e.kind()).orElse(null);
  }
}
