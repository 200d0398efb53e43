package org.ringrift.cluster.statemachine.store;

/**
 * The store could not be read or written. This is an operating failure of the node, never a
 * verdict on a command: apply must not turn it into a rejection, because another replica would
 * not see the same failure.
 */
public class StoreException extends RuntimeException {
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
