package org.ringrift.cluster.node.tls;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.util.Optional;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.ringrift.cluster.contract.tls.CertIdentity;
import org.ringrift.cluster.contract.tls.CertRole;
import org.ringrift.cluster.contract.tls.TlsChannels;
import org.ringrift.cluster.contract.tls.TlsFiles;
import org.ringrift.cluster.contract.tls.TlsMaterial;
import org.ringrift.cluster.raft.tls.RaftTls;

/**
 * One node's TLS material, read once at start: the admin server's context (client certificate
 * required, any role the cluster CA signed: the authorization interceptor decides per call), the
 * Raft port's (members' node certificates only) and channels to other nodes' admin ports (sync).
 */
public final class NodeTls {
  private final TlsFiles files;
  private final X509ExtendedKeyManager keyManager;
  private final X509ExtendedTrustManager caTrust;
  private final CertIdentity self;

  public NodeTls(TlsFiles files, String nodeId) throws IOException {
    this.files = files;
    this.keyManager = TlsMaterial.keyManager(files);
    this.caTrust = TlsMaterial.trustManager(files.ca());
    this.self = CertIdentity.of(files.cert()).orElseThrow(() -> new IllegalArgumentException(
        "TLS certificate " + files.cert() + " has no CN/OU identity (rrctl certs init writes them)"));
    if (self.role() != CertRole.NODE || !self.name().equals(nodeId)) {
      throw new IllegalArgumentException("TLS certificate " + files.cert() + " names " + self + ", but this is node "
          + nodeId + ": it needs CN=" + nodeId + ", OU=node");
    }
  }

  public SslContext adminServerContext() throws IOException {
    return GrpcSslContexts.configure(SslContextBuilder.forServer(keyManager)).trustManager(caTrust)
        .clientAuth(ClientAuth.REQUIRE).build();
  }

  /**
   * The HTTP port's HTTPS (the console): this node's certificate; a client certificate is asked
   * for, not required, so a browser without one still gets the page and a clear refusal from the
   * API instead of a failed handshake.
   */
  public io.netty.handler.ssl.SslContext httpServerContext() throws IOException {
    return io.netty.handler.ssl.SslContextBuilder.forServer(keyManager).trustManager(caTrust)
        .clientAuth(io.netty.handler.ssl.ClientAuth.OPTIONAL).build();
  }

  public RaftTls raftTls() {
    return new RaftTls(keyManager, caTrust, new MemberCheck());
  }

  /** Channels to other nodes' admin ports, presenting this node's certificate. */
  public TlsChannels channels() {
    return new TlsChannels(Optional.of(files));
  }
}
