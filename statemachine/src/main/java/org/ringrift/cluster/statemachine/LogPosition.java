package org.ringrift.cluster.statemachine;

/** A position in the Raft log: the term and index of an entry. */
public record LogPosition(long term, long index) {
  public static final LogPosition NONE = new LogPosition(0, -1);

  public boolean isAfter(LogPosition other) {
    return index > other.index;
  }
}
