package org.ringrift.cluster.raft;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.SetConfigurationRequest;

/**
 * The group's blocking admin calls through a Ratis {@code RaftClient}: snapshots, leader
 * transfer, membership changes. Each runs on its own thread and completes the future it returns.
 */
final class RaftAdmin {
  private final RaftClient raftClient;
  private final String selfId;
  private final long requestTimeoutMs;
  private final LeaderWatch leaders;

  RaftAdmin(RaftClient raftClient, String selfId, long requestTimeoutMs, LeaderWatch leaders) {
    this.raftClient = raftClient;
    this.selfId = selfId;
    this.requestTimeoutMs = requestTimeoutMs;
    this.leaders = leaders;
  }

  /** Asks this node's Raft server to take a snapshot now; completes with the index it covers. */
  CompletableFuture<Long> takeSnapshot() {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return succeeded(raftClient.getSnapshotManagementApi(RaftPeerId.valueOf(selfId)).create(requestTimeoutMs))
            .getLogIndex();
      } catch (IOException e) {
        throw new CompletionException(e);
      }
    });
  }

  /**
   * Asks the group to hand leadership to {@code targetId}; completes when the leader says it is
   * done and this node has heard of the new leader (or the deadline passed): whoever asked reads
   * this node's view next, so it should agree.
   */
  CompletableFuture<Void> transferLeadership(String targetId, long timeoutMs) {
    return CompletableFuture.runAsync(() -> {
      long deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
      // Registered before the request, so the notification cannot come between them unseen.
      CompletableFuture<Void> heard = leaders.awaitLeader(targetId);
      if (heard.isCompletedExceptionally()) {
        heard.join();
      }
      try {
        succeeded(raftClient.admin().transferLeadership(RaftPeerId.valueOf(targetId), timeoutMs));
        // Ratis answers once the target has won; this node may not have heard from it yet.
        heard.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        // As before: the transfer succeeded; this node's view merely lags.
      } catch (IOException | ExecutionException e) {
        throw new CompletionException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CompletionException(e);
      } finally {
        leaders.forget(heard);
      }
    });
  }

  /**
   * Adds one member (joint consensus inside Ratis); completes when the new configuration is
   * committed. The leader merges it into its own configuration (Ratis' ADD mode): this node's view
   * may be behind the leader's, or empty on a node started with --join.
   */
  CompletableFuture<Void> addMember(RaftView.MemberView member) {
    // Both lists set: Ratis' Arguments checks the servers list it was given, and null fails there.
    List<RaftPeer> added = List.of(peer(member));
    return setConfiguration(SetConfigurationRequest.Arguments.newBuilder()
        .setMode(SetConfigurationRequest.Mode.ADD)
        .setServersInNewConf(member.voter() ? added : List.of())
        .setListenersInNewConf(member.voter() ? List.of() : added)
        .build());
  }

  /**
   * Replaces the configuration {@code current} (this node's view of it) with {@code next};
   * completes when the new configuration is committed. The leader refuses it unless its own
   * configuration is {@code current} (Ratis' COMPARE_AND_SET), so a node whose view is behind
   * cannot undo a change it has not seen yet.
   */
  CompletableFuture<Void> replaceMembers(List<RaftView.MemberView> current, List<RaftView.MemberView> next) {
    return setConfiguration(SetConfigurationRequest.Arguments.newBuilder()
        .setMode(SetConfigurationRequest.Mode.COMPARE_AND_SET)
        .setServersInCurrentConf(peers(current, true)).setListenersInCurrentConf(peers(current, false))
        .setServersInNewConf(peers(next, true)).setListenersInNewConf(peers(next, false))
        .build());
  }

  private CompletableFuture<Void> setConfiguration(SetConfigurationRequest.Arguments arguments) {
    return CompletableFuture.runAsync(() -> {
      try {
        succeeded(raftClient.admin().setConfiguration(arguments));
      } catch (IOException e) {
        throw new CompletionException(e);
      }
    });
  }

  private static RaftClientReply succeeded(RaftClientReply reply) {
    if (!reply.isSuccess()) {
      throw new CompletionException(reply.getException());
    }
    return reply;
  }

  private static List<RaftPeer> peers(List<RaftView.MemberView> members, boolean voters) {
    return members.stream().filter(m -> m.voter() == voters).map(RaftAdmin::peer).toList();
  }

  private static RaftPeer peer(RaftView.MemberView member) {
    return RaftPeer.newBuilder().setId(member.id()).setAddress(member.address()).build();
  }
}
