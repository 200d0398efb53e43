package org.ringrift.cluster.daemons.sync;

/** What the node's metrics learn from the sync executor. */
public interface SyncListener {
  SyncListener NONE = new SyncListener() {};

  default void bytesMoved(String dataset, long bytes) {}

  default void finished(String dataset, boolean done, long bytes, long nanos) {}
}
