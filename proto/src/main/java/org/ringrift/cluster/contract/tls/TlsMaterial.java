package org.ringrift.cluster.contract.tls;

import io.grpc.util.AdvancedTlsX509KeyManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Key and trust managers for the places that take managers rather than files (Ratis, the
 * console's HTTPS, test clients). gRPC reads the PEM key and certificate; the JDK reads the CA
 * certificates. Keys are unencrypted PKCS#8, as rrctl certs writes them.
 */
public final class TlsMaterial {
  private TlsMaterial() {}

  /** Every certificate in a PEM file, leaf first. */
  public static X509Certificate[] certificates(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (certs.isEmpty()) {
        throw new IOException(file + " holds no certificate");
      }
      return certs.toArray(new X509Certificate[0]);
    } catch (GeneralSecurityException e) {
      throw new IOException(file + " is not a PEM certificate: " + e.getMessage(), e);
    }
  }

  /** Presents {@code files.cert()} (with its key) to the other side. */
  public static X509ExtendedKeyManager keyManager(TlsFiles files) throws IOException {
    AdvancedTlsX509KeyManager manager = new AdvancedTlsX509KeyManager();
    try {
      manager.updateIdentityCredentials(files.cert().toFile(), files.key().toFile());
    } catch (GeneralSecurityException | IOException e) {
      throw new IOException("cannot use " + files.cert() + " with " + files.key() + ": " + e.getMessage(), e);
    }
    return manager;
  }

  /** Trusts exactly the certificates the CA in {@code caFile} signed (PKIX path checks, expiry, host names). */
  public static X509ExtendedTrustManager trustManager(Path caFile) throws IOException {
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (X509Certificate ca : certificates(caFile)) {
        store.setCertificateEntry("ca" + i++, ca);
      }
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      for (TrustManager manager : factory.getTrustManagers()) {
        if (manager instanceof X509ExtendedTrustManager x509) {
          return x509;
        }
      }
      throw new IOException("no X.509 trust manager for " + caFile);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot trust " + caFile + ": " + e.getMessage(), e);
    }
  }
}
