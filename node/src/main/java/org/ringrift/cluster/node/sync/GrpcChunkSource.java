package org.ringrift.cluster.node.sync;

import io.grpc.Context;
import io.grpc.ManagedChannel;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.ringrift.cluster.contract.tls.TlsChannels;
import org.ringrift.cluster.daemons.sync.ChunkSource;
import org.ringrift.cluster.daemons.sync.SyncSettings;
import org.ringrift.cluster.proto.FileChunk;
import org.ringrift.cluster.proto.PeerServiceGrpc;
import org.ringrift.cluster.proto.ReadChunksRequest;

/**
 * Opens chunk streams to other nodes' peer services. Channels are kept per endpoint (at most
 * {@link #MAX_CHANNELS}, oldest closed first); keepalive pings detect a source that died or hangs.
 */
public final class GrpcChunkSource implements ChunkSource, AutoCloseable {
  static final int MAX_CHANNELS = 16;

  private final Map<String, ManagedChannel> channels = new LinkedHashMap<>();
  private final TlsChannels transport;

  /** {@code transport}: this node's certificate when the cluster runs TLS, plaintext otherwise. */
  public GrpcChunkSource(TlsChannels transport) {
    this.transport = transport;
  }

  @Override
  public Stream open(String endpoint, ReadChunksRequest request) {
    Context.CancellableContext context = Context.current().withCancellation();
    Iterator<FileChunk> chunks;
    Context previous = context.attach();
    try {
      chunks = PeerServiceGrpc.newBlockingStub(channel(endpoint)).readChunks(request);
    } finally {
      context.detach(previous);
    }
    return new Stream() {
      @Override
      public boolean hasNext() {
        return chunks.hasNext();
      }

      @Override
      public FileChunk next() {
        return chunks.next();
      }

      @Override
      public void close() {
        context.cancel(null);
      }
    };
  }

  private synchronized ManagedChannel channel(String endpoint) {
    ManagedChannel channel = channels.get(endpoint);
    if (channel == null || channel.isShutdown()) {
      int colon = endpoint.lastIndexOf(':');
      channel = transport.builder(endpoint.substring(0, colon), Integer.parseInt(endpoint.substring(colon + 1)))
          .maxInboundMessageSize(SyncSettings.MAX_CHUNK_BYTES + 64 * 1024)
          .keepAliveTime(10, TimeUnit.SECONDS).keepAliveTimeout(5, TimeUnit.SECONDS).keepAliveWithoutCalls(false)
          .build();
      channels.put(endpoint, channel);
      if (channels.size() > MAX_CHANNELS) {
        Map.Entry<String, ManagedChannel> oldest = channels.entrySet().iterator().next();
        oldest.getValue().shutdown();
        channels.remove(oldest.getKey());
      }
    }
    return channel;
  }

  @Override
  public synchronized void close() {
    channels.values().forEach(ManagedChannel::shutdownNow);
    channels.clear();
  }
}
