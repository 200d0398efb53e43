package org.ringrift.cluster.raft;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single answer to "am I the ready leader, and in which term". Fed only by Ratis
 * notifications; no file, flag or config can name a leader.
 */
public final class LeadershipGate implements LeadershipSource {
  private static final Logger LOG = LoggerFactory.getLogger(LeadershipGate.class);

  /** This node's leadership: {@code readyTerm} is 0 unless it is the ready leader. */
  public record Leadership(long readyTerm, long readySinceNanos) {
    public static final Leadership NONE = new Leadership(0, 0);

    public boolean isReadyLeader() {
      return readyTerm > 0;
    }
  }

  private final String nodeId;
  private final List<Consumer<Leadership>> listeners = new CopyOnWriteArrayList<>();
  private volatile Leadership current = Leadership.NONE;

  public LeadershipGate(String nodeId) {
    this.nodeId = nodeId;
  }

  public String selfId() {
    return nodeId;
  }

  @Override
  public Leadership current() {
    return current;
  }

  /** The term this node leads and is ready in, if it is the ready leader. */
  public Optional<Long> readyTerm() {
    Leadership now = current;
    return now.isReadyLeader() ? Optional.of(now.readyTerm()) : Optional.empty();
  }

  @Override
  public void addListener(Consumer<Leadership> listener) {
    listeners.add(listener);
  }

  void leaderReady(long term, long nowNanos) {
    LOG.info("leadership ready node={} term={}", nodeId, term);
    publish(new Leadership(term, nowNanos));
  }

  /** Called when this node learns of any leader change; only a change to itself keeps it ready. */
  void leaderChanged(String leaderId, long term) {
    if (current.isReadyLeader() && (!nodeId.equals(leaderId) || term != current.readyTerm())) {
      LOG.info("leadership lost node={} term={} new_leader={}", nodeId, current.readyTerm(), leaderId);
      publish(Leadership.NONE);
    }
  }

  void notLeader() {
    if (current.isReadyLeader()) {
      LOG.info("leadership lost node={} term={}", nodeId, current.readyTerm());
      publish(Leadership.NONE);
    }
  }

  private void publish(Leadership next) {
    current = next;
    for (Consumer<Leadership> listener : listeners) {
      listener.accept(next);
    }
  }
}
