package org.ringrift.cluster.statemachine.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.ringrift.cluster.statemachine.LogPosition;
import org.rocksdb.Checkpoint;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Snapshot;
import org.rocksdb.WriteOptions;

/**
 * The RocksDB store that holds the replicated state. Every commit records the applied log
 * position in the same write batch as the state it describes, so after any crash the two agree.
 */
public final class StateStore implements AutoCloseable {
  private static final byte[] APPLIED_KEY = MetaKeys.APPLIED;

  static {
    RocksDB.loadLibrary();
  }

  private final Path dir;
  private final DBOptions dbOptions;
  private final ColumnFamilyOptions familyOptions;
  private final RocksDB db;
  private final Map<Family, ColumnFamilyHandle> handles;
  private final List<ColumnFamilyHandle> allHandles;
  private final WriteOptions writeOptions;

  private StateStore(Path dir, DBOptions dbOptions, ColumnFamilyOptions familyOptions, RocksDB db,
      List<ColumnFamilyHandle> allHandles) {
    this.dir = dir;
    this.dbOptions = dbOptions;
    this.familyOptions = familyOptions;
    this.db = db;
    this.allHandles = allHandles;
    this.handles = new EnumMap<>(Family.class);
    Family[] families = Family.values();
    for (int i = 0; i < families.length; i++) {
      handles.put(families[i], allHandles.get(i + 1));
    }
    // The Raft log is the durable record; the RocksDB WAL only has to survive a process crash,
    // which the OS page cache already guarantees, so it is written but not synced per entry.
    this.writeOptions = new WriteOptions().setSync(false);
  }

  /** Opens (creating if needed) the store in {@code dir}. */
  public static StateStore open(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (java.io.IOException e) {
      throw new StoreException("create " + dir, e);
    }
    // Atomic flush keeps families consistent with each other even if the WAL tail is lost.
    DBOptions dbOptions = new DBOptions()
        .setCreateIfMissing(true)
        .setCreateMissingColumnFamilies(true)
        .setAtomicFlush(true)
        .setParanoidChecks(true);
    ColumnFamilyOptions familyOptions = new ColumnFamilyOptions();
    List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
    descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, familyOptions));
    for (Family family : Family.values()) {
      descriptors.add(new ColumnFamilyDescriptor(family.columnNameBytes(), familyOptions));
    }
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    RocksDB db;
    try {
      db = RocksDB.open(dbOptions, dir.toString(), descriptors, handles);
    } catch (RocksDBException e) {
      dbOptions.close();
      familyOptions.close();
      throw failure(dir, "open", e);
    }
    StateStore store = new StateStore(dir, dbOptions, familyOptions, db, handles);
    try {
      // Reads every table file once: a flipped bit anywhere is found now, before the node
      // serves, not when some query or apply happens to touch that block.
      db.verifyChecksum();
    } catch (RocksDBException e) {
      store.closeWithoutFlush();
      throw failure(dir, "checksum verification at open", e);
    }
    try {
      store.checkFormat();
    } catch (StoreException e) {
      store.closeWithoutFlush();
      throw e;
    }
    return store;
  }

  /**
   * Refuses a format this build does not read; records the current one on a store that has none
   * (stores from before format versions, and new ones). Migrations of older readable formats go
   * here, each once, before the new version is recorded.
   */
  private void checkFormat() {
    byte[] raw = get(Family.META, MetaKeys.STORE_FORMAT);
    long found = raw == null ? 1 : Bytes.decodeLong(raw);
    StoreFormat.check(dir, found);
    if (raw == null || found != StoreFormat.CURRENT) {
      try {
        db.put(handles.get(Family.META), writeOptions, MetaKeys.STORE_FORMAT, Bytes.encodeLong(StoreFormat.CURRENT));
      } catch (RocksDBException e) {
        throw failure(dir, "record format version", e);
      }
    }
  }

  /** The format version recorded in this store. */
  public long format() {
    byte[] raw = get(Family.META, MetaKeys.STORE_FORMAT);
    return raw == null ? 1 : Bytes.decodeLong(raw);
  }

  private static StoreException failure(Path dir, String what, RocksDBException e) {
    return StoreCorruptException.classify("state store at " + dir, what, e);
  }

  public Path dir() {
    return dir;
  }

  public byte[] get(Family family, byte[] key) {
    try {
      return db.get(handles.get(family), key);
    } catch (RocksDBException e) {
      throw failure(dir, "read " + family.columnName(), e);
    }
  }

  public Batch newBatch() {
    return new Batch(db, handles);
  }

  /** Writes the batch and the applied position atomically. */
  public void commit(Batch batch, LogPosition applied) {
    batch.put(Family.META, APPLIED_KEY, Bytes.encodePosition(applied));
    try {
      db.write(writeOptions, batch.writes());
    } catch (RocksDBException e) {
      throw failure(dir, "commit at index " + applied.index(), e);
    }
  }

  /** The position of the last entry whose effects are in the store. */
  public LogPosition applied() {
    byte[] raw = get(Family.META, APPLIED_KEY);
    return raw == null ? LogPosition.NONE : Bytes.decodePosition(raw);
  }

  /**
   * Writes a consistent RocksDB checkpoint (hard links where possible) into {@code target},
   * which must not exist yet.
   */
  public void checkpointTo(Path target) {
    try (Checkpoint checkpoint = Checkpoint.create(db)) {
      db.flushWal(true);
      checkpoint.createCheckpoint(target.toString());
    } catch (RocksDBException e) {
      throw failure(dir, "checkpoint to " + target, e);
    }
  }

  /** A SHA-256 over every family's keys and values in order, at one consistent point. */
  public StateDigest digest() {
    Snapshot snapshot = db.getSnapshot();
    try (ReadOptions read = new ReadOptions().setSnapshot(snapshot)) {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      LogPosition applied = LogPosition.NONE;
      for (Family family : Family.values()) {
        sha.update(family.columnNameBytes());
        try (RocksIterator it = db.newIterator(handles.get(family), read)) {
          for (it.seekToFirst(); it.isValid(); it.next()) {
            byte[] key = it.key();
            if (family == Family.META && java.util.Arrays.equals(key, APPLIED_KEY)) {
              // Where the state is, not what it is: reported beside the digest instead.
              applied = Bytes.decodePosition(it.value());
              continue;
            }
            if (family == Family.META && java.util.Arrays.equals(key, MetaKeys.STORE_FORMAT)) {
              // How the state is stored, not what it is: equal state in two formats digests alike.
              continue;
            }
            updateFramed(sha, key);
            updateFramed(sha, it.value());
          }
          it.status(); // an iterator stops at a corrupt block; status() says whether that was the end
        }
      }
      return new StateDigest(applied, HexFormat.of().formatHex(sha.digest()));
    } catch (RocksDBException e) {
      throw failure(dir, "digest", e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    } finally {
      db.releaseSnapshot(snapshot);
    }
  }

  private static void updateFramed(MessageDigest sha, byte[] bytes) {
    sha.update(Bytes.encodeLong(bytes.length));
    sha.update(bytes);
  }

  /** Closes a store that must not be written to any more (found corrupt): no flush. */
  private void closeWithoutFlush() {
    for (ColumnFamilyHandle handle : allHandles) {
      handle.close();
    }
    db.close();
    writeOptions.close();
    dbOptions.close();
    familyOptions.close();
  }

  @Override
  public void close() {
    try (org.rocksdb.FlushOptions flush = new org.rocksdb.FlushOptions().setWaitForFlush(true)) {
      db.flush(flush, allHandles);
    } catch (RocksDBException e) {
      // Closing anyway: the WAL still holds what the flush did not write.
    }
    for (ColumnFamilyHandle handle : allHandles) {
      handle.close();
    }
    db.close();
    writeOptions.close();
    dbOptions.close();
    familyOptions.close();
  }
}
