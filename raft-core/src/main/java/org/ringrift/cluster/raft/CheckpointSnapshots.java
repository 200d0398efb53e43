package org.ringrift.cluster.raft;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotInfo;
import org.apache.ratis.statemachine.SnapshotRetentionPolicy;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.impl.FileListSnapshotInfo;

/**
 * Snapshots are RocksDB checkpoints in {@code <raft storage>/sm/snapshot.<term>_<index>/}. Ratis
 * ships the files of the latest one to a follower that needs it and replaces the follower's whole
 * {@code sm} directory with them, so nothing else may live there.
 */
final class CheckpointSnapshots implements StateMachineStorage {
  private static final Pattern NAME = Pattern.compile("snapshot\\.(\\d+)_(\\d+)");
  private static final String MD5_SUFFIX = ".md5";

  private volatile Path smDir;
  private volatile FileListSnapshotInfo latest;

  @Override
  public void init(RaftStorage raftStorage) throws IOException {
    smDir = raftStorage.getStorageDir().getStateMachineDir().toPath();
    Files.createDirectories(smDir);
    refresh();
  }

  @Override
  public SnapshotInfo getLatestSnapshot() {
    return latest;
  }

  Optional<FileListSnapshotInfo> latest() {
    return Optional.ofNullable(latest);
  }

  @Override
  public void format() {}

  Path dirFor(TermIndex termIndex) {
    return smDir.resolve("snapshot." + termIndex.getTerm() + "_" + termIndex.getIndex());
  }

  Path tempDirFor(TermIndex termIndex) {
    return smDir.resolve("tmp.snapshot." + termIndex.getTerm() + "_" + termIndex.getIndex());
  }

  /** Rescans the directory; call after taking or installing a snapshot. */
  void refresh() throws IOException {
    Optional<Found> newest = list().stream().max(Comparator.comparingLong(f -> f.termIndex().getIndex()));
    latest = newest.isEmpty() ? null : toInfo(newest.get());
  }

  /** The checkpoint files of a snapshot directory, without the digests Ratis writes beside them. */
  static List<Path> checkpointFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(Files::isRegularFile)
          .filter(f -> !f.getFileName().toString().endsWith(MD5_SUFFIX))
          .sorted()
          .toList();
    }
  }

  @Override
  public void cleanupOldSnapshots(SnapshotRetentionPolicy policy) throws IOException {
    int keep = policy.getNumSnapshotsRetained();
    List<Found> found = new ArrayList<>(list());
    found.sort(Comparator.comparingLong((Found f) -> f.termIndex().getIndex()).reversed());
    for (Found old : found.subList(Math.min(keep, found.size()), found.size())) {
      deleteRecursively(old.dir());
    }
  }

  private record Found(Path dir, TermIndex termIndex) {}

  private List<Found> list() throws IOException {
    if (!Files.isDirectory(smDir)) {
      return List.of();
    }
    List<Found> found = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(smDir)) {
      for (Path dir : dirs.filter(Files::isDirectory).toList()) {
        Matcher m = NAME.matcher(dir.getFileName().toString());
        if (m.matches()) {
          found.add(new Found(dir, TermIndex.valueOf(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)))));
        }
      }
    }
    return found;
  }

  private static FileListSnapshotInfo toInfo(Found found) throws IOException {
    List<FileInfo> files = new ArrayList<>();
    for (Path file : checkpointFiles(found.dir())) {
      files.add(new FileInfo(file.toAbsolutePath(), null));
    }
    return new FileListSnapshotInfo(files, found.termIndex());
  }

  static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
