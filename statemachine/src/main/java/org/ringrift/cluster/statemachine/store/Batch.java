package org.ringrift.cluster.statemachine.store;

import java.util.Map;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.Slice;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatchWithIndex;

/**
 * The writes of one applied entry. Reads see the batch's own writes over the committed store,
 * so a handler can read what it just wrote; nothing is visible to others until committed.
 */
public final class Batch implements AutoCloseable {
  private final RocksDB db;
  private final Map<Family, ColumnFamilyHandle> handles;
  private final WriteBatchWithIndex writes = new WriteBatchWithIndex(true);
  private final ReadOptions readOptions = new ReadOptions();

  Batch(RocksDB db, Map<Family, ColumnFamilyHandle> handles) {
    this.db = db;
    this.handles = handles;
  }

  public byte[] get(Family family, byte[] key) {
    try {
      return writes.getFromBatchAndDB(db, handles.get(family), readOptions, key);
    } catch (RocksDBException e) {
      throw StoreCorruptException.classify("state store", "read " + family.columnName(), e);
    }
  }

  public void put(Family family, byte[] key, byte[] value) {
    try {
      writes.put(handles.get(family), key, value);
    } catch (RocksDBException e) {
      throw new StoreException("put " + family.columnName(), e);
    }
  }

  public void delete(Family family, byte[] key) {
    try {
      writes.delete(handles.get(family), key);
    } catch (RocksDBException e) {
      throw new StoreException("delete " + family.columnName(), e);
    }
  }

  /** Iterates the committed store merged with this batch's writes, from {@code from} on. */
  public Cursor seek(Family family, byte[] from) {
    ColumnFamilyHandle handle = handles.get(family);
    RocksIterator base = db.newIterator(handle, readOptions);
    return new Cursor(writes.newIteratorWithBase(handle, base), base, from);
  }

  /**
   * Iterates keys in [{@code from}, {@code below}). The bound is given to RocksDB, not only
   * checked by the caller: without it, stepping past the last key of the range walks every
   * deleted key (tombstone) up to the next live one, and a range whose neighbours are rewritten
   * on every write (a session's results) then costs time proportional to all writes so far.
   */
  public Cursor seek(Family family, byte[] from, byte[] below) {
    ColumnFamilyHandle handle = handles.get(family);
    Slice bound = new Slice(below);
    ReadOptions bounded = new ReadOptions().setIterateUpperBound(bound);
    RocksIterator base = db.newIterator(handle, bounded);
    AutoCloseable owner = () -> {
      base.close();
      bounded.close();
      bound.close();
    };
    return new Cursor(writes.newIteratorWithBase(handle, base), owner, from, below);
  }

  /**
   * Marks the current writes, so that the writes after it can be undone on their own: one
   * command of a batch entry that is rejected must leave the commands before it in place.
   * Savepoints nest; every one is either rolled back or released.
   */
  public void setSavePoint() {
    writes.setSavePoint();
  }

  /** Undoes every write since the latest savepoint, and drops that savepoint. */
  public void rollbackToSavePoint() {
    try {
      writes.rollbackToSavePoint();
    } catch (RocksDBException e) {
      throw new StoreException("rollback to savepoint", e);
    }
  }

  /** Keeps the writes since the latest savepoint, and drops that savepoint. */
  public void releaseSavePoint() {
    try {
      writes.popSavePoint();
    } catch (RocksDBException e) {
      throw new StoreException("release savepoint", e);
    }
  }

  WriteBatchWithIndex writes() {
    return writes;
  }

  @Override
  public void close() {
    writes.close();
    readOptions.close();
  }
}
