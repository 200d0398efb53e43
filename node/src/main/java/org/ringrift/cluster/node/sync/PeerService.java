package org.ringrift.cluster.node.sync;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;
import org.ringrift.cluster.daemons.sync.DatasetSpec;
import org.ringrift.cluster.daemons.sync.SyncSettings;
import org.ringrift.cluster.proto.FileChunk;
import org.ringrift.cluster.proto.PeerServiceGrpc;
import org.ringrift.cluster.proto.ReadChunksRequest;
import org.ringrift.cluster.statemachine.Rejections;
import org.ringrift.cluster.statemachine.sync.ManifestChecks;

/**
 * Serves this node's dataset files to other nodes' sync executors, chunk by chunk with a CRC32C
 * each, and only as fast as the reader takes them (gRPC flow control: nothing is buffered beyond
 * what the transport allows).
 */
public final class PeerService extends PeerServiceGrpc.PeerServiceImplBase {
  private final SyncSettings settings;
  private final java.util.Set<Sender> active = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  public PeerService(SyncSettings settings) {
    this.settings = settings;
  }

  /**
   * Ends every stream with UNAVAILABLE: a stopping node does not keep serving transfers through
   * the admin server's graceful shutdown; readers resume elsewhere from their last good offset.
   */
  public void close() {
    closed = true;
    active.forEach(Sender::abort);
  }

  @Override
  public void readChunks(ReadChunksRequest request, StreamObserver<FileChunk> response) {
    ServerCallStreamObserver<FileChunk> out = (ServerCallStreamObserver<FileChunk>) response;
    FileChannel channel;
    long end;
    try {
      DatasetSpec spec = settings.dataset(request.getDataset()).orElseThrow(() -> Status.NOT_FOUND
          .withDescription("dataset: " + org.ringrift.cluster.node.guard.EdgeChecks.echo(request.getDataset())
              + " is not declared on this node").asRuntimeException());
      try {
        ManifestChecks.filePath("file", request.getFile());
      } catch (Rejections.RejectedException e) {
        throw Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException();
      }
      Path root = spec.rootIn(settings.dataDir());
      Path file = root.resolve(request.getFile()).normalize();
      if (!file.startsWith(root) || !Files.isRegularFile(file)) {
        throw Status.NOT_FOUND.withDescription("file: " + org.ringrift.cluster.node.guard.EdgeChecks.echo(request.getFile())
            + " is not in dataset " + spec.name())
            .asRuntimeException();
      }
      int chunk = request.getChunkBytes();
      if (chunk < 1 || chunk > SyncSettings.MAX_CHUNK_BYTES) {
        throw Status.INVALID_ARGUMENT.withDescription("chunk_bytes: " + chunk + " is out of range 1-"
            + SyncSettings.MAX_CHUNK_BYTES).asRuntimeException();
      }
      long size = Files.size(file);
      if (request.getOffset() < 0 || request.getOffset() > size || request.getLength() < 0) {
        throw Status.OUT_OF_RANGE.withDescription("offset: " + request.getOffset() + " is outside 0-" + size)
            .asRuntimeException();
      }
      end = request.getLength() == 0 ? size : Math.min(size, request.getOffset() + request.getLength());
      channel = FileChannel.open(file, StandardOpenOption.READ);
    } catch (io.grpc.StatusRuntimeException e) {
      response.onError(e);
      return;
    } catch (IOException e) {
      response.onError(Status.UNAVAILABLE.withDescription("cannot read: " + e.getMessage()).asRuntimeException());
      return;
    }
    Sender sender = new Sender(channel, out, request.getOffset(), end, request.getChunkBytes(), active);
    active.add(sender);
    if (closed) {
      sender.abort();
      return;
    }
    out.setOnCancelHandler(sender::close);
    out.setOnReadyHandler(sender::drain);
    sender.drain(); // in case the call became ready before the handler was set
  }

  /** Sends chunks while the transport is ready; called again by gRPC when it is ready for more. */
  private static final class Sender {
    private final FileChannel channel;
    private final ServerCallStreamObserver<FileChunk> out;
    private final long end;
    private final int chunkBytes;
    private final java.util.Set<Sender> active;
    private long offset;
    private boolean finished;

    Sender(FileChannel channel, ServerCallStreamObserver<FileChunk> out, long offset, long end, int chunkBytes,
        java.util.Set<Sender> active) {
      this.active = active;
      this.channel = channel;
      this.out = out;
      this.offset = offset;
      this.end = end;
      this.chunkBytes = chunkBytes;
    }

    synchronized void drain() {
      try {
        while (!finished && out.isReady() && !out.isCancelled()) {
          if (offset >= end) {
            finished = true;
            close();
            out.onCompleted();
            return;
          }
          ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(chunkBytes, end - offset));
          while (buffer.hasRemaining()) {
            if (channel.read(buffer, offset + buffer.position()) < 0) {
              break; // the file shrank: send what there is; the reader sees a short stream
            }
          }
          buffer.flip();
          if (!buffer.hasRemaining()) {
            offset = end;
            continue;
          }
          CRC32C crc = new CRC32C();
          crc.update(buffer.duplicate());
          out.onNext(FileChunk.newBuilder().setOffset(offset).setData(ByteString.copyFrom(buffer))
              .setCrc32C((int) crc.getValue()).build());
          offset += buffer.limit();
        }
      } catch (IOException e) {
        finished = true;
        close();
        out.onError(Status.UNAVAILABLE.withDescription("read failed at offset " + offset + ": " + e.getMessage())
            .asRuntimeException());
      }
    }

    synchronized void abort() {
      if (!finished) {
        finished = true;
        close();
        out.onError(Status.UNAVAILABLE.withDescription("source node is stopping").asRuntimeException());
      }
    }

    void close() {
      active.remove(this);
      try {
        channel.close();
      } catch (IOException ignored) {
        // closing a read-only channel: nothing to lose
      }
    }
  }
}
