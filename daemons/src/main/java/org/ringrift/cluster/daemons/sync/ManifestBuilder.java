package org.ringrift.cluster.daemons.sync;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.ringrift.cluster.proto.DatasetFile;
import org.ringrift.cluster.proto.DatasetManifest;

/**
 * Scans the declared datasets into manifests: path, size, SHA-256, mtime. A file's hash is
 * recomputed only when its size or mtime changed since the last scan (the cache holds only the
 * files of the last scan, so it is bounded by the per-dataset file limit). Hidden files (the
 * executor's temp files among them) are skipped, and so are files modified within the settle
 * window, which may still be being written.
 */
public final class ManifestBuilder {
  private record Cached(long size, long mtimeMs, String sha256) {}

  private final SyncSettings settings;
  private final Clock clock;
  private Map<Path, Cached> cache = new HashMap<>();
  private long hashedFiles;

  public ManifestBuilder(SyncSettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
  }

  /** Files hashed so far (cache misses): how a test sees that an unchanged file is not hashed again. */
  public long hashedFiles() {
    return hashedFiles;
  }

  public synchronized List<DatasetManifest> scan() throws IOException {
    Map<Path, Cached> seen = new HashMap<>();
    List<DatasetManifest> manifests = new ArrayList<>();
    for (DatasetSpec spec : settings.datasets()) {
      manifests.add(scan(spec, seen));
    }
    cache = seen;
    return manifests;
  }

  private DatasetManifest scan(DatasetSpec spec, Map<Path, Cached> seen) throws IOException {
    Path root = spec.rootIn(settings.dataDir());
    DatasetManifest.Builder manifest = DatasetManifest.newBuilder().setName(spec.name()).setKind(spec.kind());
    if (!Files.isDirectory(root)) {
      return manifest.build();
    }
    PathMatcher matcher = spec.matcher();
    TreeMap<String, Path> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      walk.forEach(path -> {
        Path relative = root.relativize(path);
        if (!path.equals(root) && Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS) && !hidden(relative)
            && matcher.matches(relative)) {
          files.put(relative.toString().replace('\\', '/'), path);
        }
      });
    }
    long settledBefore = clock.millis() - settings.settle().toMillis();
    int count = 0;
    for (Map.Entry<String, Path> entry : files.entrySet()) {
      BasicFileAttributes attrs;
      try {
        attrs = Files.readAttributes(entry.getValue(), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      } catch (IOException e) {
        continue; // deleted since the walk
      }
      long mtime = attrs.lastModifiedTime().toMillis();
      if (mtime > settledBefore) {
        continue;
      }
      if (count == settings.maxFilesPerDataset()) {
        manifest.setTruncated(true);
        break;
      }
      Cached cached = cache.get(entry.getValue());
      if (cached == null || cached.size() != attrs.size() || cached.mtimeMs() != mtime) {
        cached = new Cached(attrs.size(), mtime, sha256(entry.getValue()));
        hashedFiles++;
      }
      seen.put(entry.getValue(), cached);
      manifest.addFiles(DatasetFile.newBuilder().setPath(entry.getKey()).setSizeBytes(cached.size())
          .setSha256(cached.sha256()).setMtimeMs(mtime));
      count++;
    }
    return manifest.build();
  }

  private static boolean hidden(Path relative) {
    for (Path segment : relative) {
      if (segment.toString().startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  static String sha256(Path file) throws IOException {
    MessageDigest digest = Sha256.newDigest();
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /** A digest of the manifests: the heartbeat resends them only when it changes. */
  public static String digest(List<DatasetManifest> manifests) {
    MessageDigest digest = Sha256.newDigest();
    for (DatasetManifest manifest : manifests) {
      digest.update(manifest.toByteArray());
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
