package org.ringrift.cluster.node.options;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.ringrift.cluster.daemons.sync.DatasetSpec;
import org.ringrift.cluster.daemons.sync.SyncSettings;
import picocli.CommandLine.Option;

/** The datasets this node holds and syncs, and the limits of reporting and receiving them. */
public final class SyncOptions {
  @Option(names = "--dataset", paramLabel = "NAME=KIND:PATTERN", split = ";",
      description = "A dataset this node holds and syncs (repeat, or ';'-separate): KIND is selfplay-db, model or "
          + "training-npz; PATTERN a directory under --data-dir, optionally with a glob (models/*.pt).")
  List<String> datasets = new ArrayList<>();

  @Option(names = "--sync-max-files", defaultValue = "1000",
      description = "Files reported per dataset at most (default: ${DEFAULT-VALUE}).")
  int syncMaxFiles;

  @Option(names = "--sync-settle-ms", defaultValue = "10000", converter = Units.Millis.class, paramLabel = "MS",
      description = "Files modified more recently are still being written and not reported (default: ${DEFAULT-VALUE}).")
  Duration syncSettle;

  @Option(names = "--sync-disk-reserve-mb", defaultValue = "1024", converter = Units.Mebibytes.class, paramLabel = "MB",
      description = "Free disk a transfer to this node must leave, else it fails (default: ${DEFAULT-VALUE}).")
  DataSize syncDiskReserve;

  /** The sync settings for a node whose data directory is {@code dataDir}. */
  public SyncSettings settings(Path dataDir) {
    List<DatasetSpec> specs = datasets.stream().filter(d -> !d.isBlank()).map(DatasetSpec::parse).toList();
    SyncSettings defaults = SyncSettings.defaults(dataDir, specs);
    if (syncDiskReserve.bytes() < 0) {
      throw new IllegalArgumentException("--sync-disk-reserve-mb must be >= 0");
    }
    return new SyncSettings(dataDir, specs, syncMaxFiles, syncSettle, defaults.chunkBytes(), defaults.executorInterval(),
        defaults.progressInterval(), syncDiskReserve.bytes(), defaults.maxStreamRetries());
  }
}
