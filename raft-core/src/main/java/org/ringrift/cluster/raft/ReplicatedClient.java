package org.ringrift.cluster.raft;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
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

  public ReplicatedClient(RaftClient raftClient, Clock clock) {
    this.raftClient = raftClient;
    this.clock = clock;
  }

  public CompletableFuture<CommandResult> submit(Command.Builder command) {
    byte[] bytes = command.setNowMs(clock.millis()).build().toByteArray();
    return raftClient.async().send(Message.valueOf(ByteString.copyFrom(bytes)))
        .thenApply(reply -> parse(reply, CommandResult::parseFrom));
  }

  /** A linearizable read (ReadIndex on the leader), answered after this node has caught up. */
  public CompletableFuture<QueryResult> read(Query query) {
    return raftClient.async().sendReadOnly(Message.valueOf(ByteString.copyFrom(query.toByteArray())))
        .thenApply(reply -> parse(reply, QueryResult::parseFrom));
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
