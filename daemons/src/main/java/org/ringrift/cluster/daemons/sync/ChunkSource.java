package org.ringrift.cluster.daemons.sync;

import java.util.Iterator;
import org.ringrift.cluster.proto.FileChunk;
import org.ringrift.cluster.proto.ReadChunksRequest;

/** Where a transfer reads from: the source node's peer service (gRPC in production). */
public interface ChunkSource {
  /** An open chunk stream; close() cancels it. Iteration throws when the stream breaks. */
  interface Stream extends Iterator<FileChunk>, AutoCloseable {
    @Override
    void close();
  }

  Stream open(String endpoint, ReadChunksRequest request);
}
