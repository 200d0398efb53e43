package org.ringrift.cluster.client.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/** Reads PEM certificates and keys into the JDK's key and trust managers. */
public final class Pem {
  private static final char[] NO_PASSWORD = new char[0];

  private Pem() {}

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

  public static PrivateKey privateKey(Path file) throws IOException {
    try (Reader reader = Files.newBufferedReader(file); PEMParser parser = new PEMParser(reader)) {
      Object object = parser.readObject();
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      if (object instanceof PrivateKeyInfo info) {
        return converter.getPrivateKey(info);
      }
      if (object instanceof PEMKeyPair pair) {
        return converter.getKeyPair(pair).getPrivate();
      }
      throw new IOException(file + " holds no unencrypted private key");
    }
  }

  /** Presents {@code files.cert()} (with its key) to the other side. */
  public static X509ExtendedKeyManager keyManager(TlsFiles files) throws IOException {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("self", privateKey(files.key()), NO_PASSWORD, certificates(files.cert()));
      KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(store, NO_PASSWORD);
      return (X509ExtendedKeyManager) factory.getKeyManagers()[0];
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot use " + files.cert() + " with " + files.key() + ": " + e.getMessage(), e);
    }
  }

  /** Trusts exactly the certificates the CA in {@code caFile} signed (PKIX path checks, expiry, host names). */
  public static X509ExtendedTrustManager trustManager(Path caFile) throws IOException {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
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
