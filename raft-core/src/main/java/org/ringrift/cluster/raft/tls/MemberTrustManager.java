package org.ringrift.cluster.raft.tls;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.function.Predicate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The CA's verdict first (signature, validity, and on the dialling side the host name), then the
 * peer check against the members known right now, in both directions: a Raft server only serves
 * members, and a member only talks to servers that are members.
 */
public final class MemberTrustManager extends X509ExtendedTrustManager {
  private final X509ExtendedTrustManager ca;
  private final PeerCheck check;
  private final Predicate<String> members;

  public MemberTrustManager(X509ExtendedTrustManager ca, PeerCheck check, Predicate<String> members) {
    this.ca = ca;
    this.check = check;
    this.members = members;
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    ca.checkClientTrusted(chain, authType);
    check.check(chain[0], members);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    ca.checkServerTrusted(chain, authType);
    check.check(chain[0], members);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    ca.checkClientTrusted(chain, authType, socket);
    check.check(chain[0], members);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    ca.checkServerTrusted(chain, authType, socket);
    check.check(chain[0], members);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    ca.checkClientTrusted(chain, authType, engine);
    check.check(chain[0], members);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    ca.checkServerTrusted(chain, authType, engine);
    check.check(chain[0], members);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return ca.getAcceptedIssuers();
  }
}
