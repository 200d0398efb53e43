package org.ringrift.cluster.node.monitor;

import java.util.List;

/**
 * Renders {@link AlertCatalog} as a Prometheus rules file: docs/prometheus-rules.yml is this
 * output for {@link AlertRules#defaults()}. Rewrite it with
 * {@code mvn -B -q -pl node -am test -Dtest=PrometheusRulesFileTest -Dsurefire.failIfNoSpecifiedTests=false -Drules.write=true}.
 */
public final class PrometheusRulesFile {
  private static final List<String> HEADER = List.of(
      "# Prometheus alerting rules for the RingRift cluster core: the four alerts of the original",
      "# daemon runbook, daemon_failed, disk_full and apply_halted, over the metrics every rrnode serves",
      "# on GET /metrics. Each node also evaluates them itself and shows them in /status (\"alerts\",",
      "# which rrctl status shows) and as ringrift_alert_firing{alert=...}. Rule RingRiftFooBar is node",
      "# alert foo_bar. GENERATED from node/monitor/AlertCatalog (PrometheusRulesFileTest fails when they",
      "# differ, and says how to rewrite this file); PrometheusRulesTest checks that every node alert has",
      "# its rule and that every metric named here exists.");

  private PrometheusRulesFile() {}

  public static String render(AlertRules rules) {
    StringBuilder out = new StringBuilder();
    HEADER.forEach(line -> out.append(line).append('\n'));
    out.append("groups:\n  - name: ringrift-cluster-core\n    rules:\n");
    for (AlertCatalog.Alert alert : AlertCatalog.alerts(rules)) {
      out.append("      - alert: ").append(alert.ruleName()).append('\n');
      alert.why().forEach(line -> out.append("        # ").append(line).append('\n'));
      out.append("        expr: ").append(alert.expr()).append('\n');
      alert.forDuration().ifPresent(d -> out.append("        for: ").append(d.toMinutes()).append("m\n"));
      out.append("        labels: {severity: ").append(alert.severity()).append("}\n");
      out.append("        annotations:\n");
      out.append("          summary: ").append(quoted(alert.summary())).append('\n');
      out.append("          runbook: ").append(quoted(alert.runbook())).append('\n');
    }
    return out.toString();
  }

  private static String quoted(String text) {
    return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }
}
