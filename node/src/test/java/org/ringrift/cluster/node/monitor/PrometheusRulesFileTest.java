package org.ringrift.cluster.node.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/prometheus-rules.yml is the alert catalog rendered, so the two cannot drift apart. */
class PrometheusRulesFileTest {
  private static final Path RULES = Path.of(System.getProperty("user.dir")).getParent()
      .resolve("docs/prometheus-rules.yml");

  @Test
  void theRulesFileIsTheCatalogRendered() throws Exception {
    String rendered = PrometheusRulesFile.render(AlertRules.defaults());
    if (Boolean.getBoolean("rules.write")) {
      Files.writeString(RULES, rendered, StandardCharsets.UTF_8);
    }
    assertThat(Files.readString(RULES, StandardCharsets.UTF_8))
        .as("%s differs from node/monitor/AlertCatalog; rewrite it with: mvn -B -q -pl node -am test"
            + " -Dtest=PrometheusRulesFileTest -Dsurefire.failIfNoSpecifiedTests=false -Drules.write=true", RULES)
        .isEqualTo(rendered);
  }

  @Test
  void everyNodeAlertNameMapsToItsRuleName() {
    assertThat(AlertCatalog.alerts(AlertRules.defaults())).extracting(AlertCatalog.Alert::ruleName)
        .contains("RingRiftDaemonRestartsHigh", "RingRiftDaemonFailed", "RingRiftQueueEmpty",
            "RingRiftNoCompletedWork", "RingRiftLeaderChangesHigh", "RingRiftDiskFull", "RingRiftApplyHalted");
  }
}
