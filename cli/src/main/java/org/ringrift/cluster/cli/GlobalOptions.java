package org.ringrift.cluster.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.ringrift.cluster.client.ClusterClient;
import org.ringrift.cluster.contract.Endpoint;
import org.ringrift.cluster.contract.tls.TlsChannels;
import org.ringrift.cluster.contract.tls.TlsFiles;
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

  @Option(names = "--tls-dir", scope = ScopeType.INHERIT, paramLabel = "DIR", defaultValue = "${RRCTL_TLS_DIR}",
      description = "Mutual TLS with DIR/ca.pem and DIR/<--tls-name>.pem/.key (default: $RRCTL_TLS_DIR; none: plaintext).")
  Path tlsDir;

  @Option(names = "--tls-name", scope = ScopeType.INHERIT, defaultValue = "${RRCTL_TLS_NAME:-admin}",
      description = "Which certificate in --tls-dir to present (default: $RRCTL_TLS_NAME or ${DEFAULT-VALUE}).")
  String tlsName;

  @Option(names = "--tls-ca", scope = ScopeType.INHERIT, paramLabel = "FILE", defaultValue = "${RRCTL_TLS_CA}",
      description = "Cluster CA certificate (PEM), instead of --tls-dir.")
  Path tlsCa;

  @Option(names = "--tls-cert", scope = ScopeType.INHERIT, paramLabel = "FILE", defaultValue = "${RRCTL_TLS_CERT}",
      description = "Operator certificate (PEM), instead of --tls-dir.")
  Path tlsCert;

  @Option(names = "--tls-key", scope = ScopeType.INHERIT, paramLabel = "FILE", defaultValue = "${RRCTL_TLS_KEY}",
      description = "Operator private key (PEM), instead of --tls-dir.")
  Path tlsKey;

  @Option(names = "--verbose", scope = ScopeType.INHERIT,
      description = "On an error, print the stack trace and the client library's log too.")
  boolean verbose;

  ClusterClient connect() {
    return new ClusterClient(Endpoint.parseList(endpoints), timeout, new TlsChannels(tlsFiles()));
  }

  Optional<TlsFiles> tlsFiles() {
    boolean files = tlsCa != null || tlsCert != null || tlsKey != null;
    if (tlsDir != null && files) {
      throw new IllegalArgumentException("give either --tls-dir or --tls-ca/--tls-cert/--tls-key, not both");
    }
    if (tlsDir != null) {
      return Optional.of(TlsFiles.inDir(tlsDir, tlsName));
    }
    return files ? Optional.of(new TlsFiles(tlsCa, tlsCert, tlsKey)) : Optional.empty();
  }

  boolean json() {
    return output == OutputFormat.json;
  }
}
