package org.ringrift.cluster.contract.tls;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * What a certificate's holder is, written as the subject's OU. {@code node}: a Raft member;
 * {@code worker}: a worker-only node; {@code read}, {@code operate}, {@code admin}: operators.
 */
public enum CertRole {
  NODE, WORKER, READ, OPERATE, ADMIN;

  /** The OU value, lower case. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<CertRole> parse(String label) {
    return Arrays.stream(values()).filter(r -> r.label().equals(label)).findFirst();
  }

  public static String labels() {
    return Arrays.stream(values()).map(CertRole::label).toList().toString();
  }
}
