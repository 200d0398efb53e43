package org.ringrift.cluster.cli;

import java.time.Duration;
import org.ringrift.cluster.client.ClusterClient;
import org.ringrift.cluster.client.Endpoint;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** Options every subcommand takes. */
public final class GlobalOptions {
  public enum OutputFormat { table, json }

  @Option(names = "--endpoint", scope = ScopeType.INHERIT, paramLabel = "HOST:PORT[,HOST:PORT...]",
      defaultValue = "${RRCTL_ENDPOINT:-127.0.0.1:9770,127.0.0.1:9771,127.0.0.1:9772}",
      description = "Admin endpoints of any nodes; the first reachable one answers "
          + "(default: $RRCTL_ENDPOINT or the dev cluster: ${DEFAULT-VALUE}).")
  String endpoints;

  @Option(names = {"-o", "--output"}, scope = ScopeType.INHERIT, defaultValue = "table",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  OutputFormat output;

  @Option(names = "--timeout", scope = ScopeType.INHERIT, defaultValue = "5s", converter = DurationConverter.class,
      description = "Give up after this long, e.g. 500ms, 5s, 1m (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  ClusterClient connect() {
    return new ClusterClient(Endpoint.parseList(endpoints), timeout);
  }

  boolean json() {
    return output == OutputFormat.json;
  }
}
