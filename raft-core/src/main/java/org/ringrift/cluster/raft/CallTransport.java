package org.ringrift.cluster.raft;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClientRpc;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientAsynchronousProtocol;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;

/**
 * One attempt of a {@link RaftCall}, on the wire: picks the node to ask (this one when it leads,
 * else the leader it knows) and sends one request there, into the local Raft server or as one
 * blocking unary call to a remote leader on a bounded pool. Every request carries this node's
 * one client id, so a resend (same call id) hits Ratis' retry cache.
 */
final class CallTransport implements AutoCloseable {
  private final RaftServer server;
  private final RaftGroupId groupId;
  private final RaftPeerId self;
  private final RaftClientRpc remote;
  private final ClientId clientId = ClientId.randomId();
  private final boolean readsAtLeader;
  private final ExecutorService remoteCalls;

  /**
   * @param remote the client side of Ratis' client protocol, used only for blocking unary calls
   * @param readsAtLeader true when the server answers reads only on the leader (read option
   *     DEFAULT); with LINEARIZABLE a follower answers by ReadIndex from the leader
   * @param remoteThreads blocking calls to a remote leader at once
   */
  CallTransport(RaftServer server, RaftGroupId groupId, RaftPeerId self, RaftClientRpc remote, boolean readsAtLeader,
      int remoteThreads) {
    this.server = server;
    this.groupId = groupId;
    this.self = self;
    this.remote = remote;
    this.readsAtLeader = readsAtLeader;
    // Bounded by the callers' outstanding permits: at most that many calls can wait here.
    this.remoteCalls = new ThreadPoolExecutor(remoteThreads, remoteThreads, 30, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), daemonThreads("raft-call-remote"));
  }

  RaftPeerId self() {
    return self;
  }

  /** The node a request goes to: a write (or a read when only leaders answer) to the leader. */
  RaftPeerId target(boolean write) throws IOException {
    return write || readsAtLeader ? leaderTarget() : self;
  }

  CompletableFuture<RaftClientReply> send(RaftPeerId target, long callId, Message message, boolean write,
      long attemptMs) {
    RaftClientRequest request = RaftClientRequest.newBuilder()
        .setClientId(clientId)
        .setLeaderId(target)
        .setGroupId(groupId)
        .setCallId(callId)
        .setMessage(message)
        .setType(write ? RaftClientRequest.writeRequestType() : RaftClientRequest.readRequestType())
        .setTimeoutMs(attemptMs)
        .build();
    return target.equals(self) ? inProcess(request) : remote(request, target);
  }

  /** After a failed attempt at {@code target}: a remote leader's channel is reset. */
  void failed(RaftPeerId target, Throwable cause) {
    if (!target.equals(self)) {
      // A stalled connection (a cut network) would hold every later call to this leader; the
      // next one gets a fresh channel.
      remote.handleException(target, cause instanceof Exception e ? e : new IOException(cause), true);
    }
  }

  private CompletableFuture<RaftClientReply> inProcess(RaftClientRequest request) {
    try {
      // The division itself takes the request on this thread; the server proxy would hand it to
      // Ratis' client executor and wait for it there (two context switches per request).
      RaftServer.Division division = server.getDivision(groupId);
      return division instanceof RaftClientAsynchronousProtocol direct
          ? direct.submitClientRequestAsync(request)
          : server.submitClientRequestAsync(request);
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private CompletableFuture<RaftClientReply> remote(RaftClientRequest request, RaftPeerId target) {
    CompletableFuture<RaftClientReply> reply = new CompletableFuture<>();
    try {
      remoteCalls.execute(() -> {
        try {
          reply.complete(remote.sendRequest(request));
        } catch (IOException | RuntimeException e) {
          reply.completeExceptionally(e);
        }
      });
    } catch (RejectedExecutionException e) {
      reply.completeExceptionally(new IOException("node " + self + " is shutting down", e));
    }
    return reply;
  }

  /** Where the next write goes: this node when it leads, else the leader it knows (null: none known). */
  private RaftPeerId leaderTarget() throws IOException {
    RaftServer.Division division = server.getDivision(groupId);
    DivisionInfo info = division.getInfo();
    if (info.isLeader()) {
      return self;
    }
    RaftPeerId leader = info.getLeaderId();
    if (leader == null || leader.equals(self)) {
      return null;
    }
    RaftPeer peer = division.getRaftConf().getPeer(leader);
    if (peer == null) {
      return null;
    }
    remote.addRaftPeers(peer);
    return leader;
  }

  static ThreadFactory daemonThreads(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }

  @Override
  public void close() {
    remoteCalls.shutdownNow();
  }
}
