package org.ringrift.cluster.contract;

import java.util.ArrayList;
import java.util.List;

/** A node's admin gRPC address. */
public record Endpoint(String host, int port) {
  public Endpoint {
    if (host.isBlank()) {
      throw new IllegalArgumentException("endpoint host is empty");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("endpoint port " + port + " is out of range 1-65535");
    }
  }

  public static Endpoint parse(String spec) {
    int colon = spec.lastIndexOf(':');
    if (colon < 1 || colon == spec.length() - 1) {
      throw new IllegalArgumentException("endpoint '" + spec + "' must look like host:port");
    }
    try {
      return new Endpoint(spec.substring(0, colon), Integer.parseInt(spec.substring(colon + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("endpoint '" + spec + "': port is not a number");
    }
  }

  /** Parses a comma-separated list such as {@code 127.0.0.1:9770,127.0.0.1:9771}. */
  public static List<Endpoint> parseList(String specs) {
    List<Endpoint> endpoints = new ArrayList<>();
    for (String spec : specs.split(",")) {
      if (!spec.isBlank()) {
        endpoints.add(parse(spec.trim()));
      }
    }
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("no endpoint given");
    }
    return endpoints;
  }

  @Override
  public String toString() {
    return host + ":" + port;
  }
}
