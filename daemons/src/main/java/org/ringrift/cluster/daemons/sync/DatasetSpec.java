package org.ringrift.cluster.daemons.sync;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import org.ringrift.cluster.contract.names.DatasetKinds;

/**
 * One dataset a node declares: {@code NAME=KIND:PATTERN}, where PATTERN is a directory under the
 * data dir ({@code models}) or a directory followed by a glob ({@code games/*.db}). The leading
 * segments without glob characters are the dataset root; manifest paths are relative to it.
 */
public record DatasetSpec(String name, String kind, String root, String glob) {
  public DatasetSpec {
    if (!name.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
      throw new IllegalArgumentException("dataset name '" + name + "' must be letters, digits, '_', '.', '-' "
          + "(at most 64)");
    }
    if (!DatasetKinds.ALL.contains(kind)) {
      throw new IllegalArgumentException("dataset " + name + ": kind '" + kind + "' is not one of " + DatasetKinds.ALL);
    }
    if (root.isEmpty() || root.startsWith("/") || List.of(root.split("/")).stream().anyMatch(s -> s.equals("..")
        || s.equals(".") || s.isEmpty())) {
      throw new IllegalArgumentException("dataset " + name + ": '" + root + "' must be a relative directory under "
          + "the data dir, without '..'");
    }
    if (List.of("raft", "state", "work").contains(root.split("/")[0])) {
      throw new IllegalArgumentException("dataset " + name + ": '" + root + "' is the node's own state (raft/, "
          + "state/, work/ under the data dir); put datasets beside them");
    }
  }

  /** Parses {@code NAME=KIND:PATTERN}, e.g. {@code selfplay=selfplay-db:games/*.db}. */
  public static DatasetSpec parse(String text) {
    int eq = text.indexOf('=');
    int colon = text.indexOf(':', eq + 1);
    if (eq < 1 || colon < 0 || colon == text.length() - 1) {
      throw new IllegalArgumentException("dataset '" + text + "' must look like NAME=KIND:PATTERN, e.g. "
          + "models=model:models/*.pt");
    }
    String pattern = text.substring(colon + 1).trim();
    List<String> rootParts = new ArrayList<>();
    List<String> globParts = new ArrayList<>();
    for (String segment : pattern.split("/")) {
      if (globParts.isEmpty() && !segment.matches(".*[*?\\[{].*")) {
        rootParts.add(segment);
      } else {
        globParts.add(segment);
      }
    }
    return new DatasetSpec(text.substring(0, eq).trim(), text.substring(eq + 1, colon).trim(),
        String.join("/", rootParts), globParts.isEmpty() ? "**" : String.join("/", globParts));
  }

  public Path rootIn(Path dataDir) {
    return dataDir.resolve(root).normalize();
  }

  public PathMatcher matcher() {
    return FileSystems.getDefault().getPathMatcher("glob:" + glob);
  }

  @Override
  public String toString() {
    return name + "=" + kind + ":" + root + "/" + glob;
  }
}
