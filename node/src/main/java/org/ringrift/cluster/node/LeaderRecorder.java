package org.ringrift.cluster.node;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.ringrift.cluster.proto.Command;
import org.ringrift.cluster.proto.RecordLeaderRequest;
import org.ringrift.cluster.raft.LeadershipGate;
import org.ringrift.cluster.raft.ReplicatedClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records this node in the replicated leader history when it becomes the ready leader. The
 * command is fenced by the term, so a deposed leader's late record can never be applied.
 */
final class LeaderRecorder implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LeaderRecorder.class);

  private final String nodeId;
  private final ReplicatedClient client;
  // Gate listeners run on Ratis' apply thread, which must never wait on a Raft round trip.
  private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
    Thread thread = new Thread(r, "leader-recorder");
    thread.setDaemon(true);
    return thread;
  });

  LeaderRecorder(String nodeId, ReplicatedClient client, LeadershipGate gate) {
    this.nodeId = nodeId;
    this.client = client;
    gate.addListener(leadership -> {
      if (leadership.isReadyLeader()) {
        executor.execute(() -> record(leadership.readyTerm()));
      }
    });
  }

  private void record(long term) {
    client.submit(Command.newBuilder().setExpectedTerm(term)
            .setRecordLeader(RecordLeaderRequest.newBuilder().setLeaderId(nodeId)))
        .whenComplete((result, error) -> {
          if (error != null) {
            LOG.info("leader record not written node={} term={} cause={}", nodeId, term, error.toString());
          } else if (result.hasRejected()) {
            LOG.info("leader record rejected node={} term={} reason={}", nodeId, term,
                result.getRejected().getMessage());
          } else {
            LOG.info("leader recorded node={} term={}", nodeId, term);
          }
        });
  }

  @Override
  public void close() {
    executor.shutdownNow();
    try {
      executor.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
