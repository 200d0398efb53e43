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
  private final LocalReader localReader;

  private final LatencyStats commitLatency = new LatencyStats();

  /** Proposal to applied answer, as this node's client sees it: replication, fsync and apply. */
  public LatencyStats commitLatency() {
    return commitLatency;
  }

  private final boolean localReads;

  public ReplicatedClient(RaftClient raftClient, Clock clock, LocalReader localReader) {
    this(raftClient, clock, localReader, false);
  }

  /** {@code localReads=true}: a deliberately broken build (see {@link UnsafeTestHooks#localReads}). */
  public ReplicatedClient(RaftClient raftClient, Clock clock, LocalReader localReader, boolean localReads) {
    this.raftClient = raftClient;
    this.clock = clock;
    this.localReader = localReader;
    this.localReads = localReads;
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
    if (localReads) {
      try {
        return CompletableFuture.completedFuture(localReader.read(query));
      } catch (IOException e) {
        return CompletableFuture.failedFuture(e);
      }
    }
    return raftClient.async().sendReadOnlyUnordered(Message.valueOf(ByteString.copyFrom(query.toByteArray())))
        .thenApply(reply -> parse(reply, QueryResult::parseFrom));
  }

  /**
   * A read of this node's own state, possibly stale, that needs no leader: for metrics and
   * health, which must answer while the cluster has no leader.
   */
  public QueryResult readLocal(Query query) throws IOException {
    // In process, not a stale read through the Raft client: a failed stale read (e.g. before the
    // first commit) made the client reset its channel to this node, and the reset held up every
    // write of the shared client for seconds.
    return localReader.read(query);
  }

  /** Reads this node's applied state. */
  @FunctionalInterface
  public interface LocalReader {
    QueryResult read(Query query) throws IOException;
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
