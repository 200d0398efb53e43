package org.ringrift.cluster.statemachine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ringrift.cluster.proto.Command;
import org.ringrift.cluster.proto.CommandResult;
import org.ringrift.cluster.proto.WorkItem;

/**
 * Sessions live in the store, so a checkpoint (what a snapshot installs on a follower that fell
 * behind) carries them: a resend that reaches the restored replica is still deduplicated.
 */
class SessionSnapshotTest {
  @TempDir Path dir;

  @Test
  void aCheckpointCarriesSessionsAndARestoredReplicaDeduplicatesResends() {
    Path checkpoint = dir.resolve("checkpoint");
    CommandResult claimed;
    CommandResult enqueued;
    long sessionId;
    StateFixture leader = new StateFixture(dir.resolve("leader"));
    try (leader) {
      SessionClient worker = SessionClient.open(leader, "worker-1");
      SessionClient.open(leader, "rrctl");
      enqueued = worker.send(enqueue(50));
      leader.enqueued(StateFixture.selfplay(40));
      claimed = worker.send(Commands.claim("w1", "n1", 1));
      sessionId = worker.id;
      leader.store.checkpointTo(checkpoint);
    }

    try (StateFixture restored = new StateFixture(checkpoint)) {
      restored.index = leader.index;
      restored.nowMs = leader.nowMs;
      assertThat(restored.store.digest()).isEqualTo(leaderDigest(dir.resolve("leader")));
      assertThat(SessionClient.sessions(restored).getOpen()).isEqualTo(2);

      CommandResult claimAgain = restored.apply(Commands.claim("w1", "n1", 1).setSession(
          org.ringrift.cluster.proto.SessionRef.newBuilder().setSessionId(sessionId).setSeq(2)));
      CommandResult enqueueAgain = restored.apply(enqueue(50).setSession(
          org.ringrift.cluster.proto.SessionRef.newBuilder().setSessionId(sessionId).setSeq(1)));

      assertThat(claimAgain).isEqualTo(claimed);
      assertThat(enqueueAgain).isEqualTo(enqueued);
      WorkItem item = claimed.getClaim().getItems(0);
      assertThat(restored.item(item.getId()).getLease()).isEqualTo(item.getLease());
      assertThat(restored.stats().getClaimed()).isEqualTo(1);
      assertThat(restored.stats().getPending()).isEqualTo(1);
      assertThat(SessionClient.sessions(restored).getDedupeHits()).isEqualTo(2);
    }
  }

  private static Command.Builder enqueue(int priority) {
    return Command.newBuilder().setEnqueue(StateFixture.selfplay(priority));
  }

  private static org.ringrift.cluster.statemachine.store.StateDigest leaderDigest(Path leaderDir) {
    try (var store = org.ringrift.cluster.statemachine.store.StateStore.open(leaderDir)) {
      return store.digest();
    }
  }
}
