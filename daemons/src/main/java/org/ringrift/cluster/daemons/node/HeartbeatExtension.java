package org.ringrift.cluster.daemons.node;

import org.ringrift.cluster.proto.HeartbeatRequest;

/** Something else a node reports with its heartbeat (its dataset manifest, for one). */
public interface HeartbeatExtension {
  HeartbeatExtension NONE = new HeartbeatExtension() {
    @Override
    public void addTo(HeartbeatRequest.Builder heartbeat) {}

    @Override
    public void accepted(HeartbeatRequest sent) {}
  };

  void addTo(HeartbeatRequest.Builder heartbeat) throws Exception;

  /** The heartbeat was applied. */
  void accepted(HeartbeatRequest sent);

  /** This extension, then {@code next}. */
  default HeartbeatExtension and(HeartbeatExtension next) {
    HeartbeatExtension first = this;
    return new HeartbeatExtension() {
      @Override
      public void addTo(HeartbeatRequest.Builder heartbeat) throws Exception {
        first.addTo(heartbeat);
        next.addTo(heartbeat);
      }

      @Override
      public void accepted(HeartbeatRequest sent) {
        first.accepted(sent);
        next.accepted(sent);
      }
    };
  }
}
