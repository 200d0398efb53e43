package org.ringrift.cluster.statemachine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ringrift.cluster.contract.names.EventTypes;
import org.ringrift.cluster.proto.Query;
import org.ringrift.cluster.proto.RejectCode;
import org.ringrift.cluster.proto.SyncHistoryRequest;
import org.ringrift.cluster.proto.SyncRecord;
import org.ringrift.cluster.proto.SyncStatus;
import org.ringrift.cluster.proto.UpdateSyncRequest;

/** Sync records: planned by the leader, reported by the nodes, kept to sync.max_history. */
class SyncCommandsTest {
  @TempDir Path dir;
  StateFixture sm;

  @BeforeEach
  void open() {
    sm = new StateFixture(dir);
  }

  @AfterEach
  void close() {
    sm.close();
  }

  private SyncRecord plan(String file) {
    return sm.applyAsLeader(Commands.planSync(Commands.plan(file))).getSync().getRecord();
  }

  private List<SyncRecord> history(SyncHistoryRequest.Builder request) {
    return sm.query(Query.newBuilder().setSyncHistory(request)).getSyncHistory().getRecordsList();
  }

  @Test
  void planRecordsAPlannedTransfer() {
    SyncRecord record = plan("games-1.npz");

    assertThat(record.getSyncId()).isEqualTo("s-1");
    assertThat(record.getStatus()).isEqualTo(SyncStatus.SYNC_STATUS_PLANNED);
    assertThat(record.getPlannedMs()).isEqualTo(sm.nowMs);
    assertThat(record.getSha256()).isEqualTo(Commands.SHA);
    assertThat(history(SyncHistoryRequest.newBuilder())).containsExactly(record);
  }

  @Test
  void updatesRunThenFinish() {
    plan("a");
    sm.nowMs += 10;
    SyncRecord running = sm.apply(Commands.updateSync("s-1", SyncStatus.SYNC_STATUS_RUNNING, 100)).getSync().getRecord();
    sm.nowMs += 10;
    SyncRecord progress = sm.apply(Commands.updateSync("s-1", SyncStatus.SYNC_STATUS_RUNNING, 500)).getSync().getRecord();
    sm.nowMs += 10;
    SyncRecord done = sm.apply(Commands.updateSync("s-1", SyncStatus.SYNC_STATUS_DONE, 1000)).getSync().getRecord();

    assertThat(running.getStartedMs()).isEqualTo(sm.nowMs - 20);
    assertThat(progress.getStartedMs()).isEqualTo(running.getStartedMs());
    assertThat(progress.getBytesDone()).isEqualTo(500);
    assertThat(done.getStatus()).isEqualTo(SyncStatus.SYNC_STATUS_DONE);
    assertThat(done.getFinishedMs()).isEqualTo(sm.nowMs);
    assertThat(done.getMethod()).isEqualTo("grpc");
    assertThat(sm.events(EventTypes.DATA_SYNC_STARTED)).hasSize(1);
    assertThat(sm.events(EventTypes.DATA_SYNC_COMPLETED)).hasSize(1);

    sm.rejects(Commands.updateSync("s-1", SyncStatus.SYNC_STATUS_RUNNING, 0), RejectCode.REJECT_FAILED_PRECONDITION,
        "sync_id");
  }

  @Test
  void failedSyncKeepsTheErrorAndIsFinal() {
    plan("a");
    SyncRecord failed = sm.apply(Commands.updateSync("s-1", SyncStatus.SYNC_STATUS_FAILED, 0)
        .setUpdateSync(UpdateSyncRequest.newBuilder().setSyncId("s-1").setStatus(SyncStatus.SYNC_STATUS_FAILED)
            .setError("checksum mismatch"))).getSync().getRecord();

    assertThat(failed.getError()).isEqualTo("checksum mismatch");
    assertThat(sm.events(EventTypes.DATA_SYNC_FAILED)).singleElement()
        .satisfies(e -> assertThat(e.getMessage()).isEqualTo("checksum mismatch"));
    sm.rejects(Commands.updateSync("s-1", SyncStatus.SYNC_STATUS_DONE, 0), RejectCode.REJECT_FAILED_PRECONDITION,
        "sync_id");
  }

  @Test
  void historyIsNewestFirstAndFilters() {
    plan("a");
    sm.applyAsLeader(Commands.planSync(Commands.plan("b").setSourceNode("n3").setTargetNode("n4")));
    plan("c");
    sm.apply(Commands.updateSync("s-3", SyncStatus.SYNC_STATUS_DONE, 1));

    assertThat(history(SyncHistoryRequest.newBuilder())).extracting(SyncRecord::getSyncId)
        .containsExactly("s-3", "s-2", "s-1");
    assertThat(history(SyncHistoryRequest.newBuilder().setNode("n4"))).extracting(SyncRecord::getSyncId)
        .containsExactly("s-2");
    assertThat(history(SyncHistoryRequest.newBuilder().setStatus(SyncStatus.SYNC_STATUS_PLANNED)))
        .extracting(SyncRecord::getSyncId).containsExactly("s-2", "s-1");
    assertThat(history(SyncHistoryRequest.newBuilder().setLimit(1))).extracting(SyncRecord::getSyncId)
        .containsExactly("s-3");
    assertThat(sm.query(Query.newBuilder().setSyncHistory(SyncHistoryRequest.newBuilder().setLimit(-1)))
        .getRejected().getField()).isEqualTo("limit");
  }

  @Test
  void historyIsTrimmedToSyncMaxHistory() {
    sm.setConfig("sync.max_history", 10);
    for (int i = 0; i < 12; i++) {
      plan("f" + i);
    }

    List<SyncRecord> kept = history(SyncHistoryRequest.newBuilder());
    assertThat(kept).hasSize(10);
    assertThat(kept.get(kept.size() - 1).getSyncId()).isEqualTo("s-3");
    sm.rejects(Commands.updateSync("s-2", SyncStatus.SYNC_STATUS_RUNNING, 0), RejectCode.REJECT_NOT_FOUND, "sync_id");
  }

  @Test
  void planRejections() {
    sm.rejects(Commands.planSync(Commands.plan("a")), RejectCode.REJECT_INVALID_ARGUMENT, "expected_term");
    Rejected.fenced(sm, Commands.planSync(Commands.plan("a")).setExpectedTerm(sm.term + 1));
    invalidPlan(Commands.plan("a").setDataset(""), "dataset");
    invalidPlan(Commands.plan(""), "file");
    invalidPlan(Commands.plan("f".repeat(513)), "file");
    invalidPlan(Commands.plan("a").setSha256("AB".repeat(32)), "sha256");
    invalidPlan(Commands.plan("a").setSha256("ab"), "sha256");
    invalidPlan(Commands.plan("a").setSizeBytes(-1), "size_bytes");
    invalidPlan(Commands.plan("a").setSourceNode(""), "source_node");
    invalidPlan(Commands.plan("a").setTargetNode("n 2"), "target_node");
  }

  @Test
  void updateRejections() {
    plan("a");
    sm.rejects(Commands.updateSync("x-1", SyncStatus.SYNC_STATUS_DONE, 0), RejectCode.REJECT_INVALID_ARGUMENT, "sync_id");
    sm.rejects(Commands.updateSync("s-0", SyncStatus.SYNC_STATUS_DONE, 0), RejectCode.REJECT_INVALID_ARGUMENT, "sync_id");
    sm.rejects(Commands.updateSync("s-", SyncStatus.SYNC_STATUS_DONE, 0), RejectCode.REJECT_INVALID_ARGUMENT, "sync_id");
    sm.rejects(Commands.updateSync("s-9", SyncStatus.SYNC_STATUS_DONE, 0), RejectCode.REJECT_NOT_FOUND, "sync_id");
    sm.rejects(Commands.updateSync("s-1", SyncStatus.SYNC_STATUS_PLANNED, 0), RejectCode.REJECT_INVALID_ARGUMENT,
        "status");
    sm.rejects(Commands.updateSync("s-1", SyncStatus.SYNC_STATUS_UNSPECIFIED, 0), RejectCode.REJECT_INVALID_ARGUMENT,
        "status");
    sm.rejects(Commands.updateSync("s-1", SyncStatus.SYNC_STATUS_FAILED, 0).setUpdateSync(UpdateSyncRequest
        .newBuilder().setSyncId("s-1").setStatus(SyncStatus.SYNC_STATUS_FAILED).setError("e".repeat(513))),
        RejectCode.REJECT_INVALID_ARGUMENT, "error");
  }

  private void invalidPlan(org.ringrift.cluster.proto.PlanSyncRequest.Builder request, String field) {
    sm.rejects(Commands.planSync(request).setExpectedTerm(sm.term), RejectCode.REJECT_INVALID_ARGUMENT, field);
  }
}
