package org.ringrift.cluster.bench.load;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** What the failover benchmark needs of a process cluster it kills members of. */
interface FailoverCluster extends AutoCloseable {
  String name();

  int size();

  boolean isRunning(int member);

  /** The ready leader and its term, once there is one. */
  Leader awaitLeader() throws InterruptedException;

  /** A running member other than {@code killed} that leads a term after {@code oldTerm}. */
  Optional<Integer> newLeader(int killed, long oldTerm);

  /** Whether that member's leadership is ready: it has applied its term's first entry. */
  boolean ready(int member, long oldTerm);

  /** Whether its leader daemons run for a term after {@code oldTerm}; empty when the system has none. */
  Optional<Boolean> leaderDaemonsRunning(int member, long oldTerm);

  /** Whether every member is running, and the whole cluster is back to steady state. */
  boolean steady(int leader, long term);

  /**
   * A client that writes one new value per call and returns its key once acknowledged; the key
   * names the writer and the call ({@link WriteId#parse}).
   */
  Writer writer(int index);

  /**
   * What the final state holds, by a linearizable read of everything the writers wrote: which
   * acknowledged keys are there, and which writes were applied more than once.
   */
  Audit audit(Set<String> acknowledged);

  void kill(int member) throws InterruptedException;

  void restart(int member) throws Exception;

  record Leader(int member, long term) {}

  /** The final state's view of the writes. */
  record Audit(Set<String> present, List<WriteId> appliedTwice) {}

  /** Write number {@code n} of writer {@code writer}; keys end in "{writer}-{n}" or "{writer}/{n}". */
  record WriteId(int writer, long n) {
    static WriteId parse(String key) {
      int split = Math.max(key.lastIndexOf('-'), key.lastIndexOf('/'));
      int start = Math.max(key.lastIndexOf('-', split - 1), key.lastIndexOf('/', split - 1)) + 1;
      return new WriteId(Integer.parseInt(key.substring(start, split)), Long.parseLong(key.substring(split + 1)));
    }
  }

  interface Writer extends AutoCloseable {
    String write(long n);

    /** Whether a failed write may or may not have been applied (no definite rejection). */
    boolean outcomeUnknown(RuntimeException failure);

    @Override
    void close();
  }
}
