package org.ringrift.cluster.statemachine.store;

import org.rocksdb.RocksDBException;

/**
 * RocksDB found a checksum or structure error in the state store: its content cannot be trusted,
 * so the node must not serve from it. Nothing on this node can repair it; the node rejoins as a
 * new member and gets the leader's snapshot (docs/OPERATIONS.md, "Recovering a node whose state
 * store is corrupt").
 */
public final class StoreCorruptException extends StoreException {
  private StoreCorruptException(String message, Throwable cause) {
    super(message, cause);
  }

  /** A corruption status becomes a StoreCorruptException; anything else a plain store failure. */
  static StoreException classify(String where, String what, RocksDBException e) {
    if (e.getStatus() != null && e.getStatus().getCode() == org.rocksdb.Status.Code.Corruption) {
      return new StoreCorruptException(where + " is corrupt (" + what + ": " + e.getMessage() + ")", e);
    }
    return new StoreException(what + " " + where, e);
  }
}
