package org.ringrift.cluster.statemachine.store;

import java.util.Arrays;
import org.rocksdb.RocksIterator;

/** Forward iteration over one family, in key order, from a start key. */
public final class Cursor implements AutoCloseable {
  private final RocksIterator iterator;
  private final AutoCloseable owner;

  /** Exclusive end of the keys this cursor returns; null: none. */
  private final byte[] below;

  Cursor(RocksIterator iterator, AutoCloseable owner, byte[] from) {
    this(iterator, owner, from, null);
  }

  Cursor(RocksIterator iterator, AutoCloseable owner, byte[] from, byte[] below) {
    this.iterator = iterator;
    this.owner = owner;
    this.below = below;
    iterator.seek(from);
  }

  /**
   * True while there is a current key (below the end, if the cursor has one). The batch's own
   * writes are merged over the store in memory and RocksDB bounds only the store's side, so the
   * end is checked here as well.
   */
  public boolean valid() {
    if (!iterator.isValid()) {
      return failedOrEnded();
    }
    return below == null || Arrays.compareUnsigned(iterator.key(), below) < 0;
  }

  /**
   * RocksDB ends an iteration at a block it cannot read; status() tells that apart from the real
   * end, so a corrupt store fails loudly instead of looking shorter.
   */
  private boolean failedOrEnded() {
    try {
      iterator.status();
      return false;
    } catch (org.rocksdb.RocksDBException e) {
      throw StoreCorruptException.classify("state store", "iterate", e);
    }
  }

  /** True while the current key starts with {@code prefix}. */
  public boolean validWithPrefix(byte[] prefix) {
    if (!valid()) {
      return false;
    }
    byte[] key = iterator.key();
    return key.length >= prefix.length
        && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
  }

  public byte[] key() {
    return iterator.key();
  }

  public byte[] value() {
    return iterator.value();
  }

  public void next() {
    iterator.next();
  }

  @Override
  public void close() {
    iterator.close();
    if (owner != null) {
      try {
        owner.close();
      } catch (Exception e) {
        throw new StoreException("closing cursor", e);
      }
    }
  }
}
