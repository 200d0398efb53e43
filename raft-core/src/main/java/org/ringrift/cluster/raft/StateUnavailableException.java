package org.ringrift.cluster.raft;

import java.io.IOException;

/** This node's state cannot be read right now (a snapshot is being installed); try again shortly. */
public final class StateUnavailableException extends IOException {
  public StateUnavailableException(String message) {
    super(message);
  }
}
