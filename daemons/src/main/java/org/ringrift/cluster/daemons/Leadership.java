package org.ringrift.cluster.daemons;

/**
 * This node's leadership as the daemons see it: the term it leads and is ready in (0: not the
 * ready leader), and since when. The daemons' own view, so that they need no Raft types.
 */
public record Leadership(long readyTerm, long readySinceNanos) {
  public static final Leadership NONE = new Leadership(0, 0);

  public boolean isReadyLeader() {
    return readyTerm > 0;
  }
}
