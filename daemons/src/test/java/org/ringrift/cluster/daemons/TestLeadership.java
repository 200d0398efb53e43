package org.ringrift.cluster.daemons;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** Leadership driven by the test: the edge of the daemon manager, which is the thing under test. */
final class TestLeadership implements LeadershipSource {
  private final List<Consumer<Leadership>> listeners = new CopyOnWriteArrayList<>();
  private volatile Leadership current = Leadership.NONE;

  @Override
  public Leadership current() {
    return current;
  }

  @Override
  public void addListener(Consumer<Leadership> listener) {
    listeners.add(listener);
  }

  void become(long term) {
    publish(new Leadership(term, System.nanoTime()));
  }

  void lose() {
    publish(Leadership.NONE);
  }

  private void publish(Leadership next) {
    current = next;
    listeners.forEach(l -> l.accept(next));
  }
}
