package org.ringrift.cluster.raft;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.ringrift.cluster.proto.Command;
import org.ringrift.cluster.proto.CommandResult;
import org.ringrift.cluster.proto.Query;
import org.ringrift.cluster.proto.QueryResult;

/**
 * Submits commands through Raft and runs linearizable reads. Stamps each command with the
 * proposer's clock: the state machine's only source of time.
 */
public final class ReplicatedClient implements AutoCloseable {
  private final RaftClient raftClient;
  private final Clock clock;
  private final RaftPeerId self;

  private final LatencyStats commitLatency = new LatencyStats();

  /** Proposal to applied answer, as this node's client sees it: replication, fsync and apply. */
  public LatencyStats commitLatency() {
    return commitLatency;
  }

  public ReplicatedClient(RaftClient raftClient, Clock clock, RaftPeerId self) {
    this.raftClient = raftClient;
    this.clock = clock;
    this.self = self;
  }

  public CompletableFuture<CommandResult> submit(Command.Builder command) {
    byte[] bytes = command.setNowMs(clock.millis()).build().toByteArray();
    long startNanos = System.nanoTime();
    return raftClient.async().send(Message.valueOf(ByteString.copyFrom(bytes)))
        .thenApply(reply -> {
          commitLatency.record(System.nanoTime() - startNanos);
          return parse(reply, CommandResult::parseFrom);
        });
  }

  /**
   * A linearizable read (ReadIndex on the leader). Unordered: reads need no place in the client's
   * sliding window, and must not queue behind (or block) unrelated writes that are retrying.
   */
  public CompletableFuture<QueryResult> read(Query query) {
    return raftClient.async().sendReadOnlyUnordered(Message.valueOf(ByteString.copyFrom(query.toByteArray())))
        .thenApply(reply -> parse(reply, QueryResult::parseFrom));
  }

  /**
   * A read of this node's own state, possibly stale, that needs no leader: for metrics and
   * health, which must answer while the cluster has no leader.
   */
  public QueryResult readLocal(Query query) throws IOException {
    // Blocking API on purpose: the ordered async window is shared with every admin write.
    RaftClientReply reply = raftClient.io().sendStaleRead(Message.valueOf(ByteString.copyFrom(query.toByteArray())),
        0, self);
    return parse(reply, QueryResult::parseFrom);
  }

  private interface Parser<T> {
    T parse(byte[] bytes) throws InvalidProtocolBufferException;
  }

  private static <T> T parse(RaftClientReply reply, Parser<T> parser) {
    if (!reply.isSuccess()) {
      throw new CompletionException(reply.getException() != null
          ? reply.getException()
          : new IOException("Raft request failed without an exception: " + reply));
    }
    try {
      return parser.parse(reply.getMessage().getContent().toByteArray());
    } catch (InvalidProtocolBufferException e) {
      throw new CompletionException(new IOException("unreadable reply from the state machine", e));
    }
  }

  @Override
  public void close() throws IOException {
    raftClient.close();
  }
}
