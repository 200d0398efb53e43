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

  public SyncSettings {
    datasets = List.copyOf(datasets);
    HashSet<String> names = new HashSet<>();
    for (DatasetSpec d : datasets) {
      if (!names.add(d.name())) {
        throw new IllegalArgumentException("dataset " + d.name() + " is declared twice");
      }
    }
    if (datasets.size() > org.ringrift.cluster.statemachine.sync.ManifestChecks.MAX_DATASETS) {
      throw new IllegalArgumentException(datasets.size() + " datasets is over the limit of "
          + org.ringrift.cluster.statemachine.sync.ManifestChecks.MAX_DATASETS);
    }
    if (maxFilesPerDataset < 1 || maxFilesPerDataset > org.ringrift.cluster.statemachine.sync.ManifestChecks.MAX_FILES_PER_DATASET) {
      throw new IllegalArgumentException("sync max files per dataset " + maxFilesPerDataset + " is out of range 1-"
          + org.ringrift.cluster.statemachine.sync.ManifestChecks.MAX_FILES_PER_DATASET);
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
