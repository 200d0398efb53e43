package org.ringrift.cluster.node.options;

import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Mutual TLS on every listener and outgoing call, or plaintext (loopback only unless --insecure). */
public final class TlsOptions {
  @Option(names = "--tls-dir", paramLabel = "DIR", description = "Mutual TLS on every listener with DIR/ca.pem, "
      + "DIR/<id>.pem and DIR/<id>.key (rrctl certs init writes them).")
  Path tlsDir;

  @Option(names = "--tls-ca", paramLabel = "FILE", description = "Cluster CA certificate (PEM); instead of --tls-dir.")
  Path tlsCa;

  @Option(names = "--tls-cert", paramLabel = "FILE", description = "This node's certificate (PEM); instead of --tls-dir.")
  Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "FILE", description = "This node's private key (PEM); instead of --tls-dir.")
  Path tlsKey;

  @Option(names = "--insecure", description = "Allow plaintext on a non-loopback address: anyone who can reach the "
      + "ports controls the cluster. Reported in /status and rrctl doctor.")
  boolean insecure;

  /** The TLS files from --tls-dir (named after {@code node}) or the three single-file options; empty for plaintext. */
  public Optional<org.ringrift.cluster.contract.tls.TlsFiles> files(NodeOptions node) {
    boolean files = tlsCa != null || tlsCert != null || tlsKey != null;
    if (tlsDir != null && files) {
      throw new IllegalArgumentException("give either --tls-dir or --tls-ca/--tls-cert/--tls-key, not both");
    }
    if (tlsDir != null) {
      return Optional.of(org.ringrift.cluster.contract.tls.TlsFiles.inDir(tlsDir, node.nodeId()));
    }
    if (files) {
      return Optional.of(new org.ringrift.cluster.contract.tls.TlsFiles(tlsCa, tlsCert, tlsKey));
    }
    return Optional.empty();
  }

  public boolean insecure() {
    return insecure;
  }
}
