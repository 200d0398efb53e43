package org.ringrift.cluster.statemachine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ringrift.cluster.contract.names.DaemonNames;
import org.ringrift.cluster.contract.names.EventTypes;
import org.ringrift.cluster.proto.DaemonDesired;
import org.ringrift.cluster.proto.ListDaemonDesiredRequest;
import org.ringrift.cluster.proto.Query;
import org.ringrift.cluster.proto.RejectCode;

/** Cluster-wide desired state of daemons. */
class DaemonCommandsTest {
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

  private List<DaemonDesired> list() {
    return sm.query(Query.newBuilder().setListDaemons(ListDaemonDesiredRequest.getDefaultInstance()))
        .getListDaemons().getDaemonsList();
  }

  @Test
  void everyDaemonIsEnabledByDefault() {
    assertThat(list()).extracting(DaemonDesired::getName).containsExactlyElementsOf(DaemonNames.ALL);
    assertThat(list()).allSatisfy(d -> assertThat(d.getEnabled()).isTrue());
  }

  @Test
  void disableAndEnableAreStoredAndAnnounced() {
    DaemonDesired off = sm.apply(Commands.daemon("job_reaper", false)).getDaemon();
    sm.nowMs += 1_000;
    sm.apply(Commands.daemon("sync_planner", false));

    assertThat(off.getEnabled()).isFalse();
    assertThat(off.getChangedMs()).isEqualTo(sm.nowMs - 1_000);
    assertThat(list()).filteredOn(d -> !d.getEnabled()).extracting(DaemonDesired::getName)
        .containsExactly("job_reaper", "sync_planner");

    DaemonDesired on = sm.apply(Commands.daemon("job_reaper", true)).getDaemon();
    assertThat(on.getEnabled()).isTrue();
    assertThat(list()).filteredOn(d -> d.getName().equals("job_reaper")).containsExactly(on);
    assertThat(sm.events(EventTypes.DAEMON_DISABLED)).hasSize(2);
    assertThat(sm.events(EventTypes.DAEMON_ENABLED)).extracting(e -> e.getSubject()).containsExactly("job_reaper");
  }

  @Test
  void unknownDaemonIsRejected() {
    sm.rejects(Commands.daemon("JobReaper", false), RejectCode.REJECT_INVALID_ARGUMENT, "name");
    sm.rejects(Commands.daemon("", true), RejectCode.REJECT_INVALID_ARGUMENT, "name");
    assertThat(sm.rejects(Commands.daemon("x".repeat(1000), true), RejectCode.REJECT_INVALID_ARGUMENT, "name")
        .getMessage()).hasSizeLessThan(400);
  }
}
