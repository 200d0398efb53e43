package org.ringrift.cluster.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tables show times, durations and sizes for people, and nested values as text; JSON keeps the numbers. */
class CellsTest {
  private static final long T = 1_796_570_244_984L;

  @Test
  void timesAreIsoDurationsAndSizesHaveUnitsAndNestedValuesAreNotMapText() {
    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("fsync_p50_us", 292L);
    facts.put("fsync_max_us", 26_704L);
    facts.put("clock_ms", T);
    facts.put("snapshot_time_ms", null);
    facts.put("grpc_message_max_bytes", 5_242_880L);
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("last_heartbeat_ms", T);
    view.put("blacklisted_until_ms", 0L);
    view.put("timeout_ms", 14_400_000L);
    view.put("facts", facts);
    view.put("peers", List.of(Map.of("id", "n2"), Map.of("id", "n3")));

    String table = print(false, view);
    assertThat(table).containsPattern("(?m)^last_heartbeat +2026-12-06T\\d\\d:\\d\\d:\\d\\dZ$")
        .containsPattern("(?m)^blacklisted_until +-$").containsPattern("(?m)^timeout +4h00m$");
    assertThat(table).contains("fsync_p50: 292us", "fsync_max: 26ms", "clock: 2026-12-06T", "snapshot_time: -", "grpc_message_max_bytes: 5.0MiB",
        "id: n2; id: n3");
    assertThat(table).doesNotContain("{", "=", "1796570244984");

    String json = print(true, view);
    assertThat(json).contains("\"last_heartbeat_ms\":1796570244984", "\"fsync_p50_us\":292", "\"timeout_ms\":14400000");
  }

  @Test
  void tableHeadersLoseTheUnitTheCellsNowShow() {
    StringWriter out = new StringWriter();
    new Printer(new PrintWriter(out, true), false).rows(Map.of("events", List.of(Map.of("seq", 1L, "time_ms", T))),
        "events", List.of("seq", "time_ms"));
    assertThat(out.toString()).startsWith("SEQ  TIME").contains("1    2026-12-06T");
    assertThat(Cells.bytes(1023)).isEqualTo("1023B");
    assertThat(Cells.bytes(1536)).isEqualTo("1.5KiB");
  }

  private static String print(boolean json, Map<String, Object> view) {
    StringWriter out = new StringWriter();
    new Printer(new PrintWriter(out, true), json).object(view);
    return out.toString();
  }
}
