package org.ringrift.cluster.client.tls;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.Writer;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.ringrift.cluster.contract.tls.CertRole;
import org.ringrift.cluster.contract.tls.TlsFiles;
import org.ringrift.cluster.contract.tls.TlsMaterial;

/**
 * A small cluster certificate authority kept as two PEM files ({@code ca.pem}, {@code ca.key}) in
 * a directory, issuing EC P-256 certificates whose subject is {@code CN=<name>, OU=<role>} and
 * whose SAN always holds {@code localhost} and {@code 127.0.0.1} plus the hosts asked for.
 */
public final class ClusterCa {
  public static final String CA_CERT = TlsFiles.CA_CERT;
  public static final String CA_KEY = "ca.key";
  private static final String SIGNATURE = "SHA256withECDSA";

  private final Path dir;
  private final X509Certificate caCert;
  private final PrivateKey caKey;
  private final SecureRandom random = new SecureRandom();

  private ClusterCa(Path dir, X509Certificate caCert, PrivateKey caKey) {
    this.dir = dir;
    this.caCert = caCert;
    this.caKey = caKey;
  }

  /** Creates a new CA in {@code dir}; refuses when one is already there (it would orphan every issued certificate). */
  public static ClusterCa create(Path dir, String clusterName, Duration validity) throws IOException {
    Path certFile = dir.resolve(CA_CERT);
    if (Files.exists(certFile) || Files.exists(dir.resolve(CA_KEY))) {
      throw new IllegalArgumentException(dir + " already holds a CA (" + CA_CERT + "/" + CA_KEY
          + "); use it to issue, or pick an empty directory");
    }
    Files.createDirectories(dir);
    try {
      KeyPair keys = newKeyPair();
      X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, clusterName + " cluster CA")
          .addRDN(BCStyle.OU, "ca").build();
      Instant now = Instant.now();
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, new BigInteger(127, new SecureRandom()),
          Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(validity)), subject, keys.getPublic());
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      builder.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
      X509Certificate cert = sign(builder, keys.getPrivate());
      writePem(certFile, cert, false);
      writePem(dir.resolve(CA_KEY), new JcaPKCS8Generator(keys.getPrivate(), null), true);
      return new ClusterCa(dir, cert, keys.getPrivate());
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot create a CA: " + e.getMessage(), e);
    }
  }

  /** The CA already in {@code dir}. */
  public static ClusterCa load(Path dir) throws IOException {
    Path certFile = dir.resolve(CA_CERT);
    Path keyFile = dir.resolve(CA_KEY);
    if (!Files.isReadable(certFile) || !Files.isReadable(keyFile)) {
      throw new IllegalArgumentException(dir + " holds no CA: " + CA_CERT + " and " + CA_KEY + " are needed");
    }
    return new ClusterCa(dir, TlsMaterial.certificates(certFile)[0], readKey(keyFile));
  }

  private static PrivateKey readKey(Path file) throws IOException {
    try (Reader reader = Files.newBufferedReader(file); PEMParser parser = new PEMParser(reader)) {
      if (parser.readObject() instanceof PrivateKeyInfo info) {
        return new JcaPEMKeyConverter().getPrivateKey(info);
      }
      throw new IOException(file + " holds no unencrypted PKCS#8 private key");
    }
  }

  public Path dir() {
    return dir;
  }

  /**
   * Issues {@code dir/<name>.pem} and {@code dir/<name>.key} for {@code name} in {@code role},
   * valid for {@code validity}, naming {@code hosts} (host names or IP literals) besides loopback.
   * Overwrites an earlier pair of the same name: that is how a certificate is rotated.
   */
  public TlsFiles issue(String name, CertRole role, List<String> hosts, Duration validity) throws IOException {
    if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}")) {
      throw new IllegalArgumentException("certificate name '" + name
          + "' must be 1-63 letters, digits, '.', '_' or '-' (it becomes a file name and the CN)");
    }
    if (name.equals("ca")) {
      throw new IllegalArgumentException("certificate name 'ca' is reserved for the CA's own files");
    }
    try {
      KeyPair keys = newKeyPair();
      X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, name)
          .addRDN(BCStyle.OU, role.label()).build();
      Instant now = Instant.now();
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(caCert, new BigInteger(127, random),
          Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(validity)), subject, keys.getPublic());
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
      builder.addExtension(Extension.extendedKeyUsage, false,
          new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
      builder.addExtension(Extension.subjectAlternativeName, false, subjectAltNames(hosts));
      builder.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(caCert));
      X509Certificate cert = sign(builder, caKey);
      writePem(dir.resolve(name + ".pem"), cert, false);
      writePem(dir.resolve(name + ".key"), new JcaPKCS8Generator(keys.getPrivate(), null), true);
      return TlsFiles.inDir(dir, name);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot issue a certificate for " + name + ": " + e.getMessage(), e);
    }
  }

  private static GeneralNames subjectAltNames(List<String> hosts) throws IOException {
    Set<String> all = new LinkedHashSet<>(List.of("localhost", "127.0.0.1"));
    all.addAll(hosts);
    List<GeneralName> names = new ArrayList<>();
    for (String host : all) {
      if (host.isBlank()) {
        continue;
      }
      boolean ip = host.matches("[0-9.]+") || host.contains(":");
      if (ip) {
        InetAddress.getByName(host);
      }
      names.add(new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, host));
    }
    return new GeneralNames(names.toArray(new GeneralName[0]));
  }

  private static KeyPair newKeyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key) throws GeneralSecurityException {
    try {
      ContentSigner signer = new JcaContentSignerBuilder(SIGNATURE).build(key);
      return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e.getMessage(), e);
    }
  }

  private static void writePem(Path file, Object object, boolean secret) throws IOException {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter pem = new JcaPEMWriter(text)) {
      pem.writeObject(object);
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    if (secret) {
      try {
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException e) {
        Files.createFile(tmp);
      }
    }
    try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.US_ASCII)) {
      out.write(text.toString());
    }
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }
}
