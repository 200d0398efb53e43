package org.ringrift.cluster.console;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import org.ringrift.cluster.contract.tls.TlsFiles;
import org.ringrift.cluster.contract.tls.TlsMaterial;

/**
 * Stands in for a browser that holds a client certificate: it listens on plain loopback HTTP and
 * forwards each request to a TLS node's HTTPS port presenting {@code name}'s certificate.
 * (Headless Chromium cannot be handed a client certificate without machine-wide policy files.)
 */
final class ReaderProxy implements AutoCloseable {
  private final HttpServer server;
  private final SSLContext tls;
  private final int nodePort;

  ReaderProxy(Path certs, String name, int nodePort) throws Exception {
    this.nodePort = nodePort;
    this.tls = SSLContext.getInstance("TLS");
    tls.init(new KeyManager[] {TlsMaterial.keyManager(TlsFiles.inDir(certs, name))},
        new TrustManager[] {TlsMaterial.trustManager(certs.resolve("ca.pem"))}, null);
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    server.createContext("/", this::forward);
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  private void forward(HttpExchange exchange) throws IOException {
    try (exchange) {
      HttpsURLConnection connection = (HttpsURLConnection) URI.create("https://127.0.0.1:" + nodePort
          + exchange.getRequestURI()).toURL().openConnection();
      connection.setSSLSocketFactory(tls.getSocketFactory());
      // The test CA's node certificates carry no host names; the CA is what is checked.
      connection.setHostnameVerifier((host, session) -> true);
      connection.setRequestMethod(exchange.getRequestMethod());
      for (String header : new String[] {"X-RingRift-Console", "Content-Type"}) {
        String value = exchange.getRequestHeaders().getFirst(header);
        if (value != null) {
          connection.setRequestProperty(header, value);
        }
      }
      byte[] body = exchange.getRequestBody().readAllBytes();
      if (exchange.getRequestMethod().equals("POST")) {
        connection.setDoOutput(true);
        try (OutputStream out = connection.getOutputStream()) {
          out.write(body);
        }
      }
      int code = connection.getResponseCode();
      byte[] answer;
      try (InputStream in = code >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
        answer = in == null ? new byte[0] : in.readAllBytes();
      }
      String type = connection.getContentType();
      if (type != null) {
        exchange.getResponseHeaders().set("Content-Type", type);
      }
      exchange.sendResponseHeaders(code, answer.length == 0 ? -1 : answer.length);
      if (answer.length > 0) {
        exchange.getResponseBody().write(answer);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
