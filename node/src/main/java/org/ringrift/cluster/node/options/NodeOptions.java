package org.ringrift.cluster.node.options;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** What every rrnode process has, member or worker-only: its id, data directory, config file and HTTP listener. */
public final class NodeOptions {
  @Option(names = "--config", description = "Java properties file of options: keys are option names without "
      + "dashes (admin-port=9770). Precedence: flag, environment (RRNODE_ADMIN_PORT), file, default.")
  Path configFile;

  @Option(names = "--id", description = "This node's id; must appear in --peers (required).")
  String nodeId;

  @Option(names = "--data-dir", description = "Directory for the Raft log, snapshots and state (required).")
  Path dataDir;

  @Option(names = "--bind", defaultValue = "127.0.0.1", description = "Address of the admin and HTTP listeners.")
  String bindHost;

  @Option(names = "--http-port", description = "HTTP status port (required).")
  Integer httpPort;

  /** The node id as given, or null (for log lines before it is checked). */
  public String nodeIdOrNull() {
    return nodeId;
  }

  public String nodeId() {
    return CommandLines.require(nodeId, "--id");
  }

  public Path dataDir() {
    return CommandLines.require(dataDir, "--data-dir");
  }

  /** The data directory as given, or null (for messages about a failed start). */
  public Path dataDirOrNull() {
    return dataDir;
  }

  public String bindHost() {
    return bindHost;
  }

  public int httpPort() {
    return CommandLines.require(httpPort, "--http-port");
  }
}
