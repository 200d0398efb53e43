package org.ringrift.cluster.raft;

/**
 * Deliberately broken builds, for the chaos harness only: each switch turns off one safety
 * mechanism so that the harness can show its checkers catch the breakage. rrnode sets them only
 * with {@code --unsafe-test-hooks} and logs each one at ERROR; production code paths never do.
 *
 * @param fencingDisabled apply leader-daemon commands whatever term they were proposed in
 * @param linearizableReadsDisabled Ratis read option DEFAULT: the leader answers reads from its
 *     own state without confirming it still leads (a deposed leader can serve stale reads)
 * @param localReads every read is answered from the answering node's own applied state, leader
 *     or not (follower reads: stale whenever that node lags)
 * @param sharedOrderedClient every write of the node goes through one shared Ratis RaftClient's
 *     ordered async window, which a request that runs out of retries closes for good (the write
 *     path before issue 23: a node cut off for longer than the retry budget never writes again)
 */
public record UnsafeTestHooks(boolean fencingDisabled, boolean linearizableReadsDisabled, boolean localReads,
    boolean sharedOrderedClient) {
  public static final UnsafeTestHooks NONE = new UnsafeTestHooks(false, false, false, false);

  public boolean any() {
    return fencingDisabled || linearizableReadsDisabled || localReads || sharedOrderedClient;
  }
}
