package org.ringrift.cluster.bench.load;

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

  /** A client that writes one new value per call and returns its key once acknowledged. */
  Writer writer(int index);

  /** Every key written and acknowledged that a linearizable read finds now. */
  Set<String> present(Set<String> acknowledged);

  void kill(int member) throws InterruptedException;

  void restart(int member) throws Exception;

  record Leader(int member, long term) {}

  interface Writer extends AutoCloseable {
    String write(long n);

    @Override
    void close();
  }
}
