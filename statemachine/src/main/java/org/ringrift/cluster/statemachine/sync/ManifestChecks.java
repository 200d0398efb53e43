package org.ringrift.cluster.statemachine.sync;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.ringrift.cluster.contract.names.DatasetKinds;
import org.ringrift.cluster.proto.DatasetFile;
import org.ringrift.cluster.proto.DatasetManifest;
import org.ringrift.cluster.statemachine.Rejections;

/** Limits of the dataset manifest a heartbeat carries into the replicated node record. */
public final class ManifestChecks {
  public static final int MAX_DATASETS = 16;
  public static final int MAX_FILES_PER_DATASET = 5_000;
  public static final int MAX_FILES_TOTAL = 20_000;
  public static final int MAX_PATH = 512;
  private static final int MAX_NAME = 64;

  private ManifestChecks() {}

  public static void check(List<DatasetManifest> datasets, String digest) {
    if (datasets.size() > MAX_DATASETS) {
      throw Rejections.invalid("datasets", datasets.size() + " datasets is over the limit of " + MAX_DATASETS);
    }
    if (digest.length() > 64) {
      throw Rejections.invalid("manifest_digest", "is limited to 64 characters");
    }
    Set<String> names = new HashSet<>();
    int total = 0;
    for (DatasetManifest dataset : datasets) {
      datasetName("datasets.name", dataset.getName());
      if (!names.add(dataset.getName())) {
        throw Rejections.invalid("datasets.name", "dataset '" + dataset.getName() + "' is declared twice");
      }
      if (!DatasetKinds.ALL.contains(dataset.getKind())) {
        throw Rejections.invalid("datasets.kind", "'" + abbreviate(dataset.getKind()) + "' is not one of " + DatasetKinds.ALL);
      }
      if (dataset.getFilesCount() > MAX_FILES_PER_DATASET) {
        throw Rejections.invalid("datasets.files", dataset.getFilesCount() + " files in '" + dataset.getName()
            + "' is over the limit of " + MAX_FILES_PER_DATASET);
      }
      total += dataset.getFilesCount();
      for (DatasetFile file : dataset.getFilesList()) {
        filePath("datasets.files.path", file.getPath());
        sha256("datasets.files.sha256", file.getSha256());
        if (file.getSizeBytes() < 0) {
          throw Rejections.invalid("datasets.files.size_bytes", "must be >= 0");
        }
      }
    }
    if (total > MAX_FILES_TOTAL) {
      throw Rejections.invalid("datasets.files", total + " files in all is over the limit of " + MAX_FILES_TOTAL);
    }
  }

  public static void datasetName(String field, String name) {
    if (!name.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0," + (MAX_NAME - 1) + "}")) {
      throw Rejections.invalid(field, "'" + abbreviate(name) + "' must be letters, digits, '_', '.', '-', at most "
          + MAX_NAME + " characters");
    }
  }

  /** A relative path inside a dataset root: no absolute path, no '..', no empty or hidden segment. */
  public static void filePath(String field, String path) {
    if (path.isEmpty() || path.length() > MAX_PATH) {
      throw Rejections.invalid(field, "must be 1-" + MAX_PATH + " characters");
    }
    for (String segment : path.split("/", -1)) {
      if (segment.isEmpty() || segment.startsWith(".") || segment.indexOf('\\') >= 0 || segment.indexOf('\0') >= 0) {
        throw Rejections.invalid(field, "'" + abbreviate(path) + "' must be a relative path without empty, '.' or "
            + "hidden segments");
      }
    }
  }

  public static void sha256(String field, String sha) {
    if (!sha.matches("[0-9a-f]{64}")) {
      throw Rejections.invalid(field, "must be 64 lower-case hex digits");
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 64 ? s : s.substring(0, 64) + "...";
  }
}
