package org.ringrift.cluster.node;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.ringrift.cluster.statemachine.store.StoreCorruptException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One rrnode process's life, member or worker-only: start, then run until SIGTERM or SIGINT, then stop cleanly. */
public final class NodeProcess {
  private static final Logger LOG = LoggerFactory.getLogger(NodeProcess.class);
  /** rrnode's exit code when its state store is corrupt: restarting will not help (exit 2: configuration error). */
  public static final int EXIT_CORRUPT_STORE = 3;

  /** What a node does at start. */
  public interface Starter {
    void start() throws Exception;
  }

  private final String nodeId;
  private final Path dataDir;

  public NodeProcess(String nodeId, Path dataDir) {
    this.nodeId = nodeId;
    this.dataDir = dataDir;
  }

  /** Starts {@code node} and waits for the shutdown hook to close it; the process's exit code. */
  public int runUntilStopped(AutoCloseable node, Starter starter) throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        node.close();
      } catch (Exception e) {
        LOG.error("node={} did not stop cleanly: {}", nodeId, e.toString());
      } finally {
        stopped.countDown();
      }
    }, "rrnode-shutdown"));
    try {
      starter.start();
    } catch (Exception e) {
      Optional<StoreCorruptException> corrupt = corruption(e);
      if (corrupt.isPresent()) {
        LOG.error("node={} refuses to serve: {}. It cannot be repaired in place: rejoin it from the leader's snapshot "
            + "(docs/OPERATIONS.md, 'Recovering a node whose state store is corrupt'): rrctl members remove {}; "
            + "move {} aside; start rrnode with --join; rrctl members add {} HOST:RAFT_PORT", nodeId,
            corrupt.get().getMessage(), nodeId, dataDir, nodeId);
        closeQuietly(node);
        return EXIT_CORRUPT_STORE;
      }
      LOG.error("node={} failed to start: {}", nodeId, e.getMessage());
      closeQuietly(node);
      return 1;
    }
    stopped.await();
    return 0;
  }

  private void closeQuietly(AutoCloseable node) {
    try {
      node.close();
    } catch (Exception closing) {
      LOG.error("node={} did not stop cleanly: {}", nodeId, closing.toString());
    }
  }

  /** The store corruption somewhere in the causes of a failed start (Ratis wraps what the state machine threw). */
  static Optional<StoreCorruptException> corruption(Throwable e) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    ArrayDeque<Throwable> todo = new ArrayDeque<>(List.of(e));
    while (!todo.isEmpty() && seen.size() < 100) {
      Throwable t = todo.pop();
      if (!seen.add(t)) {
        continue;
      }
      if (t instanceof StoreCorruptException corrupt) {
        return Optional.of(corrupt);
      }
      if (t.getCause() != null) {
        todo.push(t.getCause());
      }
      for (Throwable suppressed : t.getSuppressed()) {
        todo.push(suppressed);
      }
    }
    return Optional.empty();
  }
}
