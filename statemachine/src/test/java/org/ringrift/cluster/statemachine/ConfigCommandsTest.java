package org.ringrift.cluster.statemachine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ringrift.cluster.contract.names.EventTypes;
import org.ringrift.cluster.proto.ConfigEntry;
import org.ringrift.cluster.proto.GetConfigRequest;
import org.ringrift.cluster.proto.Query;
import org.ringrift.cluster.proto.QueryResult;
import org.ringrift.cluster.proto.RejectCode;
import org.ringrift.cluster.statemachine.config.ConfigSchema;

/** The replicated runtime config: set, read back, defaults, validation. */
class ConfigCommandsTest {
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

  private QueryResult get(String key) {
    return sm.query(Query.newBuilder().setGetConfig(GetConfigRequest.newBuilder().setKey(key)));
  }

  @Test
  void setValueIsReadBackAndAnnounced() {
    ConfigEntry set = sm.apply(Commands.setConfig("events.max_history", " 50 ")).getConfig();

    assertThat(set.getKey()).isEqualTo("events.max_history");
    assertThat(set.getValue()).isEqualTo("50");
    assertThat(set.getIsDefault()).isFalse();
    assertThat(get("events.max_history").getGetConfig().getEntriesList()).containsExactly(set);
    assertThat(sm.events(EventTypes.CONFIG_CHANGED)).singleElement()
        .satisfies(e -> assertThat(e.getSubject()).isEqualTo("events.max_history"));
  }

  @Test
  void settingTheDefaultBackReportsItAsDefault() {
    sm.apply(Commands.setConfig("queue.pending_soft_limit", "10"));
    ConfigEntry back = sm.apply(Commands.setConfig("queue.pending_soft_limit", "500")).getConfig();

    assertThat(back.getIsDefault()).isTrue();
  }

  @Test
  void getWithoutKeyListsEveryKeyInNameOrderWithDefaults() {
    List<ConfigEntry> all = sm.query(Query.newBuilder().setGetConfig(GetConfigRequest.getDefaultInstance()))
        .getGetConfig().getEntriesList();

    assertThat(all).hasSize(ConfigSchema.all().size());
    assertThat(all).extracting(ConfigEntry::getKey).isSorted();
    assertThat(all).allSatisfy(e -> assertThat(e.getIsDefault()).isTrue());
    assertThat(all).filteredOn(e -> e.getKey().equals("queue.timeout_ms.training"))
        .singleElement().satisfies(e -> assertThat(e.getValue()).isEqualTo("14400000"));
  }

  @Test
  void unknownKeyIsNotFoundOnRead() {
    assertThat(get("queue.nope").getRejected().getCode()).isEqualTo(RejectCode.REJECT_NOT_FOUND);
    assertThat(get("queue.nope").getRejected().getField()).isEqualTo("key");
  }

  @Test
  void invalidSetsAreRejectedByField() {
    sm.rejects(Commands.setConfig("queue.nope", "1"), RejectCode.REJECT_INVALID_ARGUMENT, "key");
    sm.rejects(Commands.setConfig("", "1"), RejectCode.REJECT_INVALID_ARGUMENT, "key");
    sm.rejects(Commands.setConfig("queue.pending_soft_limit", "ten"), RejectCode.REJECT_INVALID_ARGUMENT, "value");
    sm.rejects(Commands.setConfig("queue.pending_soft_limit", "1.5"), RejectCode.REJECT_INVALID_ARGUMENT, "value");
    sm.rejects(Commands.setConfig("queue.pending_soft_limit", ""), RejectCode.REJECT_INVALID_ARGUMENT, "value");
    sm.rejects(Commands.setConfig("queue.pending_soft_limit", "99999999999999999999"),
        RejectCode.REJECT_INVALID_ARGUMENT, "value");
    sm.rejects(Commands.setConfig("queue.pending_soft_limit", "0"), RejectCode.REJECT_INVALID_ARGUMENT, "value");
    sm.rejects(Commands.setConfig("queue.pending_soft_limit", "1000001"), RejectCode.REJECT_INVALID_ARGUMENT, "value");
    sm.rejects(Commands.setConfig("queue.timeout_ms.selfplay", "999"), RejectCode.REJECT_INVALID_ARGUMENT, "value");
  }

  @Test
  void rangeBoundsAreInclusive() {
    assertThat(sm.apply(Commands.setConfig("queue.pending_recovery", "0")).getConfig().getValue()).isEqualTo("0");
    assertThat(sm.apply(Commands.setConfig("queue.pending_recovery", "1000000")).getConfig().getValue())
        .isEqualTo("1000000");
  }
}
