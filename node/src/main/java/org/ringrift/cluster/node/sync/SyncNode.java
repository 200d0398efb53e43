package org.ringrift.cluster.node.sync;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.ringrift.cluster.contract.names.DaemonNames;
import org.ringrift.cluster.daemons.Daemon;
import org.ringrift.cluster.daemons.Proposals;
import org.ringrift.cluster.daemons.sync.ChunkSource;
import org.ringrift.cluster.daemons.sync.DatasetReporter;
import org.ringrift.cluster.daemons.sync.ManifestBuilder;
import org.ringrift.cluster.daemons.sync.SyncExecutor;
import org.ringrift.cluster.daemons.sync.SyncListener;
import org.ringrift.cluster.daemons.sync.SyncPlanner;
import org.ringrift.cluster.daemons.sync.SyncSettings;
import org.ringrift.cluster.statemachine.sync.NodeSelector;

/** This node's data sync parts: manifest reporter, peer service, chunk source, and the two sync daemons. */
public final class SyncNode implements AutoCloseable {
  private final SyncSettings settings;
  private final DatasetReporter reporter;
  private final GrpcChunkSource grpc;
  private final ChunkSource source;
  private final PeerService peer;
  private volatile SyncListener listener = SyncListener.NONE;

  /** {@code edge} wraps the gRPC chunk source; tests inject faults there (identity in production). */
  public SyncNode(SyncSettings settings, String peerEndpoint, Clock clock, UnaryOperator<ChunkSource> edge,
      org.ringrift.cluster.contract.tls.TlsChannels transport) {
    this.settings = settings;
    this.grpc = new GrpcChunkSource(transport);
    this.reporter = new DatasetReporter(new ManifestBuilder(settings, clock), peerEndpoint);
    this.source = edge.apply(grpc);
    this.peer = new PeerService(settings);
  }

  public SyncSettings settings() {
    return settings;
  }

  public DatasetReporter reporter() {
    return reporter;
  }

  public PeerService peerService() {
    return peer;
  }

  public void bindMetrics(MeterRegistry registry) {
    listener = new SyncMetrics(registry);
  }

  /** The sync daemons' factories, by their catalog names; routes are parsed with the state machine's NodeSelector. */
  public Map<String, Supplier<Daemon>> daemons(Proposals proposals, String nodeId, Clock clock, Duration leaderTick,
      Duration failoverGrace) {
    SyncListener forward = new SyncListener() {
      @Override
      public void bytesMoved(String dataset, long bytes) {
        listener.bytesMoved(dataset, bytes);
      }

      @Override
      public void finished(String dataset, boolean done, long bytes, long nanos) {
        listener.finished(dataset, done, bytes, nanos);
      }
    };
    return Map.of(
        DaemonNames.SYNC_PLANNER, () -> new SyncPlanner(proposals, clock, leaderTick, failoverGrace,
            route -> NodeSelector.parse(route)::matches),
        DaemonNames.SYNC_EXECUTOR, () -> new SyncExecutor(proposals, nodeId, settings, source, forward,
            System::nanoTime));
  }

  @Override
  public void close() {
    peer.close();
    grpc.close();
  }
}
