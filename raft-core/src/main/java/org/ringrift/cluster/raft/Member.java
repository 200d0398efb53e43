package org.ringrift.cluster.raft;

import java.util.regex.Pattern;

/** A voting member of the Raft group: its node id and Raft (peer) address. */
public record Member(String id, String host, int raftPort) {
  private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

  public Member {
    if (!ID.matcher(id).matches()) {
      throw new IllegalArgumentException("member id '" + id + "' must match " + ID.pattern());
    }
    if (raftPort < 1 || raftPort > 65535) {
      throw new IllegalArgumentException("member " + id + ": raft port " + raftPort + " is out of range 1-65535");
    }
  }

  public String address() {
    return host + ":" + raftPort;
  }

  /** Parses {@code id=host:port}. */
  public static Member parse(String spec) {
    int eq = spec.indexOf('=');
    int colon = spec.lastIndexOf(':');
    if (eq < 1 || colon < eq + 2 || colon == spec.length() - 1) {
      throw new IllegalArgumentException("peer '" + spec + "' must look like id=host:port");
    }
    try {
      return new Member(spec.substring(0, eq), spec.substring(eq + 1, colon),
          Integer.parseInt(spec.substring(colon + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("peer '" + spec + "': port is not a number");
    }
  }
}
