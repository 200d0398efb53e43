package org.ringrift.cluster.node.tls;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.function.Predicate;
import org.ringrift.cluster.contract.tls.CertIdentity;
import org.ringrift.cluster.contract.tls.CertRole;
import org.ringrift.cluster.raft.tls.PeerCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Raft peers must hold a node certificate whose CN is a member id: no operator, worker or stranger. */
final class MemberCheck implements PeerCheck {
  private static final Logger LOG = LoggerFactory.getLogger(MemberCheck.class);

  @Override
  public void check(X509Certificate peer, Predicate<String> isMember) throws CertificateException {
    CertIdentity identity = CertIdentity.of(peer).orElse(null);
    if (identity == null || identity.role() != CertRole.NODE || !isMember.test(identity.name())) {
      String who = identity == null ? peer.getSubjectX500Principal().getName() : identity.toString();
      LOG.warn("raft peer refused cert={}: not a member node of the group", who);
      throw new CertificateException("certificate " + who + " is not a member node of the group");
    }
  }
}
