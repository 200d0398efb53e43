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
  /** Threads that answer the reads of a finished read barrier from this node's state. */
  private static final int READ_SERVER_THREADS = 2;

  /** Sends one Raft request (its message) and completes with Ratis' reply. */
  @FunctionalInterface
  public interface RaftSend {
    CompletableFuture<RaftClientReply> send(Message message);
  }

  private final GroupCommit<Command, CommandResult> writes;
  private final RaftSend reads;
  private final ReadBatcher batchedReads;
  private final java.util.concurrent.ExecutorService readServers;
  private final Clock clock;
  private final LocalReader localReader;
  private final AutoCloseable resources;

  private final LatencyStats commitLatency = new LatencyStats();

  /** Proposal to applied answer, as this node's client sees it: replication, fsync and apply. */
  public LatencyStats commitLatency() {
    return commitLatency;
  }

  private final boolean localReads;
  private final boolean readsAtLeader;

  /**
   * {@code localReads=true}: a deliberately broken build (see {@link UnsafeTestHooks#localReads}).
   * {@code resources} are closed with this client. Writes go to {@code writes} in batches (group
   * commit under {@code groupCommit}'s limits).
   */
  public ReplicatedClient(RaftSend writes, GroupCommitSettings groupCommit, String nodeId, RaftSend reads, Clock clock,
      LocalReader localReader, boolean localReads, boolean readsAtLeader, AutoCloseable resources) {
    this.readsAtLeader = readsAtLeader;
    this.writes = new GroupCommit<>(groupCommit, new CommandBatchCodec(), writes, nodeId);
    this.readServers = java.util.concurrent.Executors.newFixedThreadPool(READ_SERVER_THREADS, runnable -> {
      Thread thread = new Thread(runnable, "read-serve-" + nodeId);
      thread.setDaemon(true);
      return thread;
    });
    this.batchedReads = new ReadBatcher(reads, localReader, readServers, groupCommit.maxQueuedCommands());
    this.reads = reads;
    this.clock = clock;
    this.localReader = localReader;
    this.localReads = localReads;
    this.resources = resources;
  }

  public CompletableFuture<CommandResult> submit(Command.Builder command) {
    Command stamped = command.setNowMs(clock.millis()).build();
    long startNanos = System.nanoTime();
    return writes.submit(stamped).thenApply(result -> {
      commitLatency.record(System.nanoTime() - startNanos);
      return result;
    });
  }

  /** How group commit batches this node's writes: batch sizes, time in queue, queue depth. */
  public GroupCommit.Stats batching() {
    return writes.stats();
  }

  /**
   * A linearizable read: the reads that arrive together share one ReadIndex round (a read barrier,
   * here or by asking the leader for the index) and are then answered from this node's state.
   */
  public CompletableFuture<QueryResult> read(Query query) {
    if (localReads) {
      try {
        return CompletableFuture.completedFuture(localReader.read(query));
      } catch (IOException e) {
        return CompletableFuture.failedFuture(e);
      }
    }
    if (readsAtLeader) {
      // Only the broken build reads=default (see UnsafeTestHooks): the leader's own answer, unbatched.
      return reads.send(Message.valueOf(ByteString.copyFrom(query.toByteArray())))
          .thenApply(reply -> parse(reply, QueryResult::parseFrom));
    }
    return batchedReads.read(query);
  }

  /** Read barrier rounds (ReadIndex) this node ran for its batched reads. */
  public LatencyStats readBarriers() {
    return batchedReads.barriers();
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

  interface Parser<T> {
    T parse(byte[] bytes) throws InvalidProtocolBufferException;
  }

  static <T> T parse(RaftClientReply reply, Parser<T> parser) {
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
    writes.close();
    batchedReads.close();
    readServers.shutdownNow();
    try {
      resources.close();
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException(e);
    }
  }
}
