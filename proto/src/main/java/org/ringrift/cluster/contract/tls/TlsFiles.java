package org.ringrift.cluster.contract.tls;

import java.nio.file.Files;
import java.nio.file.Path;

/** The PEM files one party needs for mutual TLS: the cluster CA, its own certificate and its key. */
public record TlsFiles(Path ca, Path cert, Path key) {
  /** The CA certificate's file name in a certificate directory. */
  public static final String CA_CERT = "ca.pem";

  public TlsFiles {
    require(ca, "CA certificate");
    require(cert, "certificate");
    require(key, "private key");
  }

  /** {@code dir/ca.pem}, {@code dir/<name>.pem}, {@code dir/<name>.key}: the layout rrctl certs init writes. */
  public static TlsFiles inDir(Path dir, String name) {
    return new TlsFiles(dir.resolve(CA_CERT), dir.resolve(name + ".pem"), dir.resolve(name + ".key"));
  }

  private static void require(Path file, String what) {
    if (file == null) {
      throw new IllegalArgumentException("TLS " + what + " file is not set");
    }
    if (!Files.isReadable(file)) {
      throw new IllegalArgumentException("TLS " + what + " file " + file + " is missing or unreadable");
    }
  }
}
