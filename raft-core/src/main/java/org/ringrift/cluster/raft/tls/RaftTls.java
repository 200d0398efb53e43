package org.ringrift.cluster.raft.tls;

import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Mutual TLS for Raft traffic: this node's key and certificate, the trust manager of the cluster
 * CA, and the check that a CA-signed peer is a member of the group.
 */
public record RaftTls(X509ExtendedKeyManager keyManager, X509ExtendedTrustManager caTrust, PeerCheck peerCheck) {}
