package org.ringrift.cluster.node;

import java.util.Optional;
import org.ringrift.cluster.contract.tls.CertIdentity;

/**
 * Who called the console API. On a plaintext node the admin port has no authorization at all, so
 * neither does the console ({@code tlsNode} false). On a TLS node the identity is the client
 * certificate of the HTTPS connection; a plaintext connection to a TLS node has none.
 */
record ConsoleCaller(boolean tlsNode, boolean https, Optional<CertIdentity> identity) {
  static ConsoleCaller plaintextNode() {
    return new ConsoleCaller(false, false, Optional.empty());
  }

  String describe() {
    if (!tlsNode) {
      return "plaintext node: no authorization (as on its admin port)";
    }
    return identity.map(i -> i.name() + " (" + i.role().label() + ")").orElse(https
        ? "no client certificate" : "plain HTTP to a TLS node: open the console over https:// with a client certificate");
  }
}
