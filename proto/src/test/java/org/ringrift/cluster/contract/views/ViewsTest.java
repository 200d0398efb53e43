package org.ringrift.cluster.contract.views;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The JSON views are a contract rrctl -o json, the console and the Python docs rely on. The golden
 * file holds what the hand-written views printed for {@link Samples} before they were rebuilt on
 * JsonFormat: field names, order, nulls, number and enum shapes must stay exactly that.
 */
class ViewsTest {
  private static Map<String, Supplier<Object>> views() {
    Map<String, Supplier<Object>> views = new LinkedHashMap<>();
    views.put("fullItem", () -> Views.item(Samples.fullItem()));
    views.put("emptyItem", () -> Views.item(Samples.emptyItem()));
    views.put("items", () -> Views.items(List.of(Samples.emptyItem())));
    views.put("fullStatus", () -> Views.status(Samples.status(true)));
    views.put("emptyStatus", () -> Views.status(Samples.status(false)));
    views.put("queueStats", () -> Views.queueStats(Samples.queueStats()));
    views.put("fullNode", () -> Views.node(Samples.node(true)));
    views.put("emptyNode", () -> Views.node(Samples.node(false)));
    views.put("fullSync", () -> Views.sync(Samples.sync(true)));
    views.put("emptySync", () -> Views.sync(Samples.sync(false)));
    views.put("daemons", () -> Views.daemons(Samples.daemons()));
    views.put("fullSessions", () -> Views.sessions(Samples.sessions(true), 1000));
    views.put("emptySessions", () -> Views.sessions(Samples.sessions(false), 1000));
    views.put("featureLevel", () -> Views.featureLevel(Samples.featureLevel()));
    views.put("featureLevelResult", () -> Views.featureLevelResult(Samples.featureLevelResult()));
    views.put("digest", () -> Views.digest("n1", Samples.digest()));
    views.put("config", () -> Views.config(Samples.config()));
    views.put("event", () -> Views.event(Samples.event()));
    views.put("leader", () -> Views.leader(Samples.leader()));
    views.put("desired", () -> Views.desired(Samples.desired()));
    return views;
  }

  @Test
  void everyViewPrintsExactlyTheGoldenJson() throws IOException {
    Map<String, String> golden = new LinkedHashMap<>();
    try (InputStream in = ViewsTest.class.getResourceAsStream("views-golden.txt")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        String[] parts = line.split("\t", 2);
        golden.put(parts[0], parts[1]);
      }
    }
    Map<String, Supplier<Object>> views = views();
    assertThat(views.keySet()).containsExactlyElementsOf(golden.keySet());
    views.forEach((name, view) -> assertThat(Json.write(view.get())).as(name).isEqualTo(golden.get(name)));
  }

  @Test
  void sixtyFourBitValuesAreNumbersAndEnumsShortNames() {
    Map<String, Object> item = Views.item(Samples.fullItem());
    assertThat(item.get("timeout_ms")).isEqualTo(9_007_199_254_740_993L);
    assertThat(item.get("type")).isEqualTo("gpu_cmaes");
    assertThat(item.get("payload")).isEqualTo("{\"board\":\"hex\"}");
    assertThat(Views.queueStats(Samples.queueStats()).get("pending_by_type"))
        .isEqualTo(Map.of("selfplay", 1L, "training", 3L));
  }

  @Test
  void tokensRoundTrip() {
    assertThat(Views.token(Views.parseToken("3.44"))).isEqualTo("3.44");
    assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> Views.parseToken("3")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("<term>.<sequence>");
  }
}
