package org.ringrift.cluster.raft;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
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
  /** Sends one Raft request (its message) and completes with Ratis' reply. */
  @FunctionalInterface
  public interface RaftSend {
    CompletableFuture<RaftClientReply> send(Message message);
  }

  private final RaftSend writes;
  private final RaftSend reads;
  private final Clock clock;
  private final LocalReader localReader;
  private final AutoCloseable resources;

  private final LatencyStats commitLatency = new LatencyStats();

  /** Proposal to applied answer, as this node's client sees it: replication, fsync and apply. */
  public LatencyStats commitLatency() {
    return commitLatency;
  }

  private final boolean localReads;

  /**
   * {@code localReads=true}: a deliberately broken build (see {@link UnsafeTestHooks#localReads}).
   * {@code resources} are closed with this client.
   */
  public ReplicatedClient(RaftSend writes, RaftSend reads, Clock clock, LocalReader localReader, boolean localReads,
      AutoCloseable resources) {
    this.writes = writes;
    this.reads = reads;
    this.clock = clock;
    this.localReader = localReader;
    this.localReads = localReads;
    this.resources = resources;
  }

  public CompletableFuture<CommandResult> submit(Command.Builder command) {
    byte[] bytes = command.setNowMs(clock.millis()).build().toByteArray();
    long startNanos = System.nanoTime();
    return writes.send(Message.valueOf(ByteString.copyFrom(bytes)))
        .thenApply(reply -> {
          commitLatency.record(System.nanoTime() - startNanos);
          return parse(reply, CommandResult::parseFrom);
        });
  }

  /** A linearizable read: ReadIndex, on the leader or (by asking the leader for the index) here. */
  public CompletableFuture<QueryResult> read(Query query) {
    if (localReads) {
      try {
        return CompletableFuture.completedFuture(localReader.read(query));
      } catch (IOException e) {
        return CompletableFuture.failedFuture(e);
      }
    }
    return reads.send(Message.valueOf(ByteString.copyFrom(query.toByteArray())))
        .thenApply(reply -> parse(reply, QueryResult::parseFrom));
  }

  /**
   * A read of this node's own state, possibly stale, that needs no leader: for metrics and
   * health, which must answer while the cluster has no leader.
   */
  public QueryResult readLocal(Query query) throws IOException {
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
    try {
      resources.close();
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException(e);
    }
  }
}
