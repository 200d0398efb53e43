package org.ringrift.cluster.bench.load;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * How rrbench starts its own clusters: where bin/rrnode is, where their directories go, whether
 * they are kept, and extra rrnode arguments. Shared by every command that starts a cluster.
 */
final class ClusterStartOptions {
  @Option(names = "--repo", description = "Repository root holding bin/rrnode (default: the rrbench.home property "
      + "or the working directory).")
  Path repo;

  @Option(names = "--dir", description = "Where the clusters' temp directories go (default: java.io.tmpdir).")
  Path dir;

  @Option(names = "--keep", description = "Keep the clusters' data and logs after the run.")
  boolean keep;

  @Option(names = "--node-arg", description = "Extra rrnode argument for the clusters rrbench starts (repeat), "
      + "e.g. --node-arg=--election-timeout-min-ms=150.")
  List<String> nodeArgs = new ArrayList<>();

  Path repoRoot() {
    return Rrbench.repoRoot(repo);
  }

  Path tempParent() {
    return dir != null ? dir : Path.of(System.getProperty("java.io.tmpdir"));
  }
}
