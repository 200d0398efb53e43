package org.ringrift.cluster.daemons.sync;

import java.util.List;
import org.ringrift.cluster.daemons.node.HeartbeatExtension;
import org.ringrift.cluster.proto.DatasetManifest;
import org.ringrift.cluster.proto.HeartbeatRequest;

/**
 * Adds this node's peer endpoint and, when it changed since the last accepted heartbeat, its
 * dataset manifest to the heartbeat. Most heartbeats thus carry no manifest, which keeps the log
 * small; a restarted node sends its manifest once with its first heartbeat.
 */
public final class DatasetReporter implements HeartbeatExtension {
  public static final String ENDPOINT_RESOURCE = "sync_endpoint";

  private final ManifestBuilder builder;
  private final String peerEndpoint;
  private volatile String acceptedDigest = "";

  public DatasetReporter(ManifestBuilder builder, String peerEndpoint) {
    this.builder = builder;
    this.peerEndpoint = peerEndpoint;
  }

  @Override
  public void addTo(HeartbeatRequest.Builder heartbeat) throws Exception {
    heartbeat.putResources(ENDPOINT_RESOURCE, peerEndpoint);
    List<DatasetManifest> manifests = builder.scan();
    String digest = ManifestBuilder.digest(manifests);
    if (!digest.equals(acceptedDigest)) {
      heartbeat.setManifestIncluded(true).addAllDatasets(manifests).setManifestDigest(digest);
    }
  }

  @Override
  public void accepted(HeartbeatRequest sent) {
    if (sent.getManifestIncluded()) {
      acceptedDigest = sent.getManifestDigest();
    }
  }
}
