package org.ringrift.cluster.daemons.sync;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.ringrift.cluster.contract.names.ConfigKeys;
import org.ringrift.cluster.daemons.ClusterUnavailableException;
import org.ringrift.cluster.daemons.Daemon;
import org.ringrift.cluster.daemons.DaemonContext;
import org.ringrift.cluster.daemons.Proposals;
import org.ringrift.cluster.proto.Command;
import org.ringrift.cluster.proto.CommandResult;
import org.ringrift.cluster.proto.GetConfigRequest;
import org.ringrift.cluster.proto.ListNodesRequest;
import org.ringrift.cluster.proto.NodeRecord;
import org.ringrift.cluster.proto.Query;
import org.ringrift.cluster.proto.SyncHistoryRequest;
import org.ringrift.cluster.proto.SyncRecord;
import org.ringrift.cluster.proto.SyncStatus;
import org.ringrift.cluster.proto.UpdateSyncRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the transfers the planner assigned to this node, one at a time (one transfer per target):
 * a running one first (this node restarted mid-transfer), else the oldest planned one. Reports
 * RUNNING with progress, then DONE or FAILED with the error, through the log.
 */
public final class SyncExecutor implements Daemon {
  private static final Logger LOG = LoggerFactory.getLogger(SyncExecutor.class);
  public static final String METHOD = "grpc-pull";

  private final Proposals proposals;
  private final String nodeId;
  private final SyncSettings settings;
  private final ChunkSource source;
  private final SyncListener listener;
  private final LongSupplier nanoTime;
  private volatile boolean stopped;

  public SyncExecutor(Proposals proposals, String nodeId, SyncSettings settings, ChunkSource source,
      SyncListener listener, LongSupplier nanoTime) {
    this.proposals = proposals;
    this.nodeId = nodeId;
    this.settings = settings;
    this.source = source;
    this.listener = listener;
    this.nanoTime = nanoTime;
  }

  @Override
  public void tick(DaemonContext context) throws Exception {
    Optional<SyncRecord> next = assigned(SyncStatus.SYNC_STATUS_RUNNING);
    if (next.isEmpty()) {
      next = assigned(SyncStatus.SYNC_STATUS_PLANNED);
    }
    if (next.isPresent() && !stopped) {
      run(context, next.get());
    }
  }

  private Optional<SyncRecord> assigned(SyncStatus status) throws ClusterUnavailableException {
    try {
      return proposals.read(Query.newBuilder().setSyncHistory(SyncHistoryRequest.newBuilder().setNode(nodeId)
          .setStatus(status).setLimit(1000)).build()).getSyncHistory().getRecordsList().stream()
          .filter(r -> r.getTargetNode().equals(nodeId)).min(Comparator.comparingLong(SyncRecord::getSeq));
    } catch (ClusterUnavailableException e) {
      // An election or a partition, not a fault of this daemon: its runner skips the tick.
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("sync history not readable: " + e.getMessage(), e);
    }
  }

  private void run(DaemonContext context, SyncRecord task) throws Exception {
    Optional<DatasetSpec> spec = settings.dataset(task.getDataset());
    if (spec.isEmpty()) {
      finish(context, task, false, 0, "dataset " + task.getDataset() + " is not declared on " + nodeId, 0);
      return;
    }
    Path root = spec.get().rootIn(settings.dataDir());
    Path target = root.resolve(task.getFile()).normalize();
    if (!target.startsWith(root)) {
      finish(context, task, false, 0, "file " + task.getFile() + " is outside dataset " + task.getDataset(), 0);
      return;
    }
    String endpoint = endpointOf(task.getSourceNode());
    if (endpoint == null) {
      finish(context, task, false, 0, "source " + task.getSourceNode() + " reports no sync endpoint", 0);
      return;
    }
    if (Files.isRegularFile(target) && Files.size(target) == task.getSizeBytes()
        && ManifestBuilder.sha256(target).equals(task.getSha256())) {
      finish(context, task, true, task.getSizeBytes(), "", 0);
      return;
    }
    long rate = config(ConfigKeys.SYNC_PER_HOST_BYTES_PER_S);
    TokenBucket throttle = TokenBucket.realTime(rate);
    long started = nanoTime.getAsLong();
    long[] reported = {0};
    FileTransfer transfer = new FileTransfer(settings, source, throttle, nanoTime, () -> stopped);
    LOG.info("sync started sync={} file={}/{} source={} bytes={} cap_bytes_per_s={}", task.getSyncId(),
        task.getDataset(), task.getFile(), task.getSourceNode(), task.getSizeBytes(), rate);
    FileTransfer.Outcome outcome = transfer.run(task, target, endpoint, bytesDone -> {
      listener.bytesMoved(task.getDataset(), Math.max(0, bytesDone - reported[0]));
      reported[0] = bytesDone;
      return update(context, task, SyncStatus.SYNC_STATUS_RUNNING, bytesDone, "", METHOD);
    });
    if (stopped) {
      return; // the record stays RUNNING; the next start of this daemon resumes it from the temp file
    }
    long elapsed = nanoTime.getAsLong() - started;
    if (outcome.done()) {
      listener.bytesMoved(task.getDataset(), Math.max(0, task.getSizeBytes() - reported[0]));
    }
    finish(context, task, outcome.done(), outcome.done() ? task.getSizeBytes() : reported[0], outcome.error(),
        outcome.resumedFrom());
    listener.finished(task.getDataset(), outcome.done(), outcome.bytesMoved(), elapsed);
    LOG.info("sync {} sync={} file={}/{} source={} bytes={} resumed_from={} ms={}{}", outcome.done() ? "done" : "failed",
        task.getSyncId(), task.getDataset(), task.getFile(), task.getSourceNode(), outcome.bytesMoved(),
        outcome.resumedFrom(), elapsed / 1_000_000, outcome.done() ? "" : " error=" + outcome.error());
  }

  private void finish(DaemonContext context, SyncRecord task, boolean done, long bytes, String error, long resumedFrom)
      throws Exception {
    String method = resumedFrom > 0 ? METHOD + "+resume@" + resumedFrom : METHOD;
    update(context, task, done ? SyncStatus.SYNC_STATUS_DONE : SyncStatus.SYNC_STATUS_FAILED, bytes,
        error.length() > 500 ? error.substring(0, 500) : error, method);
  }

  /** False when the record was finished elsewhere (the planner failed it): the transfer stops. */
  private boolean update(DaemonContext context, SyncRecord task, SyncStatus status, long bytes, String error,
      String method) throws Exception {
    CommandResult result = proposals.propose(context, Command.newBuilder().setUpdateSync(UpdateSyncRequest.newBuilder()
        .setSyncId(task.getSyncId()).setStatus(status).setBytesDone(bytes).setError(error).setMethod(method)));
    if (result.hasRejected()) {
      LOG.info("sync update rejected sync={} reason={}", task.getSyncId(), result.getRejected().getMessage());
      return false;
    }
    return true;
  }

  private String endpointOf(String node) throws Exception {
    for (NodeRecord record : proposals.read(Query.newBuilder().setListNodes(ListNodesRequest.getDefaultInstance())
        .build()).getListNodes().getNodesList()) {
      if (record.getNodeId().equals(node)) {
        return record.getResourcesOrDefault(DatasetReporter.ENDPOINT_RESOURCE, null);
      }
    }
    return null;
  }

  private long config(String key) throws Exception {
    return Long.parseLong(proposals.read(Query.newBuilder().setGetConfig(GetConfigRequest.newBuilder().setKey(key))
        .build()).getGetConfig().getEntries(0).getValue());
  }

  @Override
  public Duration interval() {
    return settings.executorInterval();
  }

  @Override
  public void stop() {
    stopped = true;
  }
}
