package org.ringrift.cluster.client;

import org.ringrift.cluster.contract.errors.ErrorKind;

/** A failed cluster call, with the kind of failure and a one-line message for an operator. */
public final class ClusterException extends RuntimeException {
  private final ErrorKind kind;

  public ClusterException(ErrorKind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public ClusterException(ErrorKind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public ErrorKind kind() {
    return kind;
  }
}
