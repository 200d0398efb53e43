package org.ringrift.cluster.raft.tls;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.function.Predicate;

/**
 * Decides whether a certificate the CA already vouched for belongs to one of {@code members}:
 * the identity scheme lives with the caller, raft-core only answers whether an id is a member.
 */
@FunctionalInterface
public interface PeerCheck {
  void check(X509Certificate peer, Predicate<String> isMember) throws CertificateException;
}
