package org.ringrift.cluster.contract.tls;

import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Who a certificate names: subject CN is the name (a node id for nodes and workers), subject OU
 * the {@link CertRole}. A certificate with no CN, no OU or an unknown OU has no identity.
 */
public record CertIdentity(String name, CertRole role) {
  public static Optional<CertIdentity> of(X509Certificate certificate) {
    String cn = null;
    String ou = null;
    try {
      for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN")) {
          cn = rdn.getValue().toString();
        } else if (rdn.getType().equalsIgnoreCase("OU")) {
          ou = rdn.getValue().toString();
        }
      }
    } catch (InvalidNameException e) {
      return Optional.empty();
    }
    if (cn == null || cn.isEmpty() || ou == null) {
      return Optional.empty();
    }
    String name = cn;
    return CertRole.parse(ou).map(role -> new CertIdentity(name, role));
  }

  /** The identity of the first (leaf) certificate in a PEM file. */
  public static Optional<CertIdentity> of(Path certFile) throws IOException {
    return of(TlsMaterial.certificates(certFile)[0]);
  }

  @Override
  public String toString() {
    return name + "/" + role.label();
  }
}
