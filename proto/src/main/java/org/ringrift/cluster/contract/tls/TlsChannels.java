package org.ringrift.cluster.contract.tls;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * gRPC channels to one host:port: mutual TLS when files are given (the server's certificate must
 * come from the same CA and name the host dialled), plaintext otherwise.
 */
public final class TlsChannels {
  private final Optional<SslContext> ssl;

  public TlsChannels(Optional<TlsFiles> files) {
    this.ssl = files.map(TlsChannels::clientContext);
  }

  public static TlsChannels plaintext() {
    return new TlsChannels(Optional.empty());
  }

  public boolean secure() {
    return ssl.isPresent();
  }

  /** A builder for the caller to finish (message limits, executors). */
  public ManagedChannelBuilder<?> builder(String host, int port) {
    NettyChannelBuilder builder = NettyChannelBuilder.forAddress(host, port);
    if (ssl.isPresent()) {
      return builder.sslContext(ssl.get());
    }
    return builder.usePlaintext();
  }

  public ManagedChannel channel(String host, int port) {
    return builder(host, port).build();
  }

  private static SslContext clientContext(TlsFiles files) {
    try {
      return GrpcSslContexts.forClient().keyManager(files.cert().toFile(), files.key().toFile())
          .trustManager(files.ca().toFile()).build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new UncheckedIOException(new IOException("cannot use " + files.cert() + " with " + files.key()
          + " and CA " + files.ca() + ": " + e.getMessage(), e));
    }
  }
}
