package org.ringrift.cluster.node;

/** How a node's listeners are protected. */
public enum Transport {
  /** Mutual TLS on the admin and Raft ports; callers are authorized by their certificate's role. */
  MTLS,
  /** Plaintext, every listener on loopback: the dev cluster. Anyone on this host is trusted. */
  PLAINTEXT_LOOPBACK,
  /** Plaintext on a reachable address because --insecure said so: anyone on the network is trusted. */
  INSECURE;

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
