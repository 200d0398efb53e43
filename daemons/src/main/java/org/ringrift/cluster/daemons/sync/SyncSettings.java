package org.ringrift.cluster.daemons.sync;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

/**
 * This node's side of data sync: what it declares, and the local limits of its executor. The
 * cluster-wide policy (routes, bandwidth caps, attempts) is replicated config, not here.
 *
 * @param maxFilesPerDataset files reported per dataset at most (the rest is marked truncated)
 * @param settle a file modified more recently than this is still being written and not reported
 * @param chunkBytes size of one streamed chunk
 * @param progressInterval how often a running transfer reports bytes done (one log entry each)
 * @param diskReserveBytes free space a transfer must leave on the target's disk
 * @param maxStreamRetries stream breaks or corrupt chunks one transfer survives before it fails
 */
public record SyncSettings(Path dataDir, List<DatasetSpec> datasets, int maxFilesPerDataset, Duration settle,
    int chunkBytes, Duration executorInterval, Duration progressInterval, long diskReserveBytes, int maxStreamRetries) {
  public static final int MAX_CHUNK_BYTES = 1 << 20;
  /**
   * What the state machine accepts in one node's heartbeat manifest (its ManifestChecks): a node
   * must not start with settings whose manifests the cluster would reject. SyncSettingsLimitsTest
   * holds the two equal.
   */
  public static final int MAX_DATASETS = 16;
  public static final int MAX_FILES_PER_DATASET = 5_000;

  public SyncSettings {
    datasets = List.copyOf(datasets);
    HashSet<String> names = new HashSet<>();
    for (DatasetSpec d : datasets) {
      if (!names.add(d.name())) {
        throw new IllegalArgumentException("dataset " + d.name() + " is declared twice");
      }
    }
    if (datasets.size() > MAX_DATASETS) {
      throw new IllegalArgumentException(datasets.size() + " datasets is over the limit of "
          + MAX_DATASETS);
    }
    if (maxFilesPerDataset < 1 || maxFilesPerDataset > MAX_FILES_PER_DATASET) {
      throw new IllegalArgumentException("sync max files per dataset " + maxFilesPerDataset + " is out of range 1-"
          + MAX_FILES_PER_DATASET);
    }
    if (chunkBytes < 4096 || chunkBytes > MAX_CHUNK_BYTES) {
      throw new IllegalArgumentException("sync chunk size " + chunkBytes + " is out of range 4096-" + MAX_CHUNK_BYTES);
    }
    if (diskReserveBytes < 0 || maxStreamRetries < 0 || settle.isNegative() || executorInterval.isZero()
        || progressInterval.isZero()) {
      throw new IllegalArgumentException("sync disk reserve, retries and settle must be >= 0, intervals > 0");
    }
  }

  /** Production defaults: 1000 files per dataset, 10 s settle, 256 KiB chunks, 1 GiB disk reserve. */
  public static SyncSettings defaults(Path dataDir, List<DatasetSpec> datasets) {
    return new SyncSettings(dataDir, datasets, 1000, Duration.ofSeconds(10), 256 * 1024, Duration.ofSeconds(1),
        Duration.ofSeconds(2), 1L << 30, 3);
  }

  public Optional<DatasetSpec> dataset(String name) {
    return datasets.stream().filter(d -> d.name().equals(name)).findFirst();
  }

  public SyncSettings withDiskReserve(long bytes) {
    return new SyncSettings(dataDir, datasets, maxFilesPerDataset, settle, chunkBytes, executorInterval,
        progressInterval, bytes, maxStreamRetries);
  }
}
