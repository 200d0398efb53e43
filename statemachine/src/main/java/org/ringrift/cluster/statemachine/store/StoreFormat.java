package org.ringrift.cluster.statemachine.store;

/**
 * The format version of the state store's layout (column families, key encodings, value
 * messages), recorded in the meta family and checked every time a store is opened, a snapshot's
 * included. A store written by a newer build in a format this build does not know is refused;
 * a known older one is read, migrated once where it needs it, and the new version recorded.
 * Distinct from the feature level: the format says how state is stored, the level which commands
 * may change it.
 */
public final class StoreFormat {
  /**
   * The format this build writes. 1: the layout of DESIGN.md section 3 (the first stores carried no
   * version; they are format 1).
   */
  public static final int CURRENT = 1;
  /** The oldest format this build still reads. */
  public static final int OLDEST_READABLE = 1;

  private StoreFormat() {}

  /** The store's format is newer than this build knows, or older than it can read. */
  public static final class UnsupportedStoreFormatException extends StoreException {
    UnsupportedStoreFormatException(String message) {
      super(message, null);
    }
  }

  static void check(java.nio.file.Path dir, long found) {
    if (found > CURRENT) {
      throw new UnsupportedStoreFormatException("state store at " + dir + " has format version " + found
          + ", written by a newer build; this build reads formats " + OLDEST_READABLE + "-" + CURRENT
          + ". Run a build that supports it (docs/OPERATIONS.md, Upgrades: rollback)");
    }
    if (found < OLDEST_READABLE) {
      throw new UnsupportedStoreFormatException("state store at " + dir + " has format version " + found
          + ", older than this build reads (" + OLDEST_READABLE + "-" + CURRENT + "); open it with an "
          + "intermediate build first");
    }
  }
}
