package org.ringrift.cluster.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ringrift.cluster.client.ClusterClient;
import org.ringrift.cluster.proto.Alert;
import org.ringrift.cluster.raft.RaftSettings;

/**
 * docs/prometheus-rules.yml cannot drift from the node: every alert a real node lists in its
 * status has a rule named after it (foo_bar is RingRiftFooBar), and every metric a rule's
 * expression reads is one the node serves on /metrics.
 */
class PrometheusRulesTest {
  private static final Path RULES = Path.of(System.getProperty("user.dir")).getParent()
      .resolve("docs/prometheus-rules.yml");
  private static final Pattern ALERT = Pattern.compile("^\\s*- alert:\\s*(\\S+)\\s*$", Pattern.MULTILINE);
  private static final Pattern EXPR = Pattern.compile("^\\s*expr:\\s*(.+)$", Pattern.MULTILINE);
  private static final Pattern METRIC = Pattern.compile("\\bringrift_[a-z0-9_]+");

  @TempDir Path dir;

  @Test
  void everyNodeAlertHasARuleAndEveryMetricARuleReadsExists() throws Exception {
    String rules = Files.readString(RULES);
    Set<String> ruleNames = all(ALERT, rules);
    Set<String> ruleMetrics = new TreeSet<>();
    for (String expr : all(EXPR, rules)) {
      ruleMetrics.addAll(all(METRIC, expr));
    }
    assertThat(ruleNames).hasSizeGreaterThanOrEqualTo(6);

    try (LocalCluster cluster = new LocalCluster(dir, 1, RaftSettings.defaults(), LocalCluster.quiet())) {
      ClusterClient client = cluster.client();
      // The monitor's first sample (taken at start) brings its alerts; disk_full is there from the start.
      await().atMost(Duration.ofSeconds(30)).until(() -> cluster.readyLeader().isPresent()
          && client.statusOf(cluster.endpoint(0)).getAlertsList().stream()
              .anyMatch(a -> a.getName().equals("daemon_restarts_high")));
      Set<String> nodeAlerts = client.statusOf(cluster.endpoint(0)).getAlertsList().stream().map(Alert::getName)
          .collect(Collectors.toCollection(TreeSet::new));
      assertThat(nodeAlerts).contains("daemon_restarts_high", "daemon_failed", "disk_full");
      assertThat(ruleNames).containsAll(nodeAlerts.stream().map(PrometheusRulesTest::ruleName).toList());

      String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
          + cluster.httpPort(0) + "/metrics")).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
      Set<String> served = all(Pattern.compile("^(ringrift_[a-z0-9_]+)[{ ]", Pattern.MULTILINE), metrics);
      assertThat(served).containsAll(ruleMetrics);

      // Every ringrift_* metric passes promtool's lint: HELP text, counters with _total.
      String ours = metrics.lines().filter(l -> l.startsWith("ringrift_") || l.startsWith("# HELP ringrift_")
          || l.startsWith("# TYPE ringrift_")).collect(Collectors.joining("\n", "", "\n"));
      Promtool.Result lint = Promtool.run(ours, "check", "metrics");
      assertThat(lint.exitCode()).as("promtool check metrics:%n%s", lint.output()).isZero();
      assertThat(lint.output()).as("promtool check metrics").isBlank();
      // Counts since start or since the cluster began are counters, so rate() and increase() hold.
      for (String counter : List.of("ringrift_raft_leader_changes_total", "ringrift_daemon_restarts_total",
          "ringrift_queue_stale_token_rejections_total", "ringrift_queue_fenced_rejections_total",
          "ringrift_queue_leases_expired_total", "ringrift_queue_completed_total")) {
        assertThat(metrics).as(counter).contains("# TYPE " + counter + " counter");
        assertThat(served).contains(counter);
      }
    }
  }

  @Test
  void alertRulesPassTheirPromtoolUnitTests() throws Exception {
    Promtool.Result test = Promtool.run("", "test", "rules", RULES.resolveSibling("prometheus-rules.test.yml").toString());
    assertThat(test.exitCode()).as("promtool test rules:%n%s", test.output()).isZero();
    assertThat(test.output()).contains("SUCCESS");
  }

  /** Prometheus's own checker (Debian package prometheus; .ci/run installs it when missing). */
  static final class Promtool {
    record Result(int exitCode, String output) {}

    static Result run(String stdin, String... args) throws Exception {
      Path promtool = Path.of(System.getProperty("promtool", "/usr/bin/promtool"));
      assertThat(promtool).as("promtool is needed (apt-get install prometheus, or -Dpromtool=PATH)").isExecutable();
      List<String> command = new java.util.ArrayList<>(List.of(promtool.toString()));
      command.addAll(List.of(args));
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      try (var in = process.getOutputStream()) {
        in.write(stdin.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
      String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertThat(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      return new Result(process.exitValue(), output);
    }
  }

  /** daemon_failed -> RingRiftDaemonFailed, as the catalog names it; an alert missing from the catalog fails. */
  static String ruleName(String alert) {
    return org.ringrift.cluster.node.monitor.AlertCatalog.alerts(org.ringrift.cluster.node.monitor.AlertRules.defaults())
        .stream().filter(a -> a.name().equals(alert)).findFirst()
        .orElseThrow(() -> new AssertionError("node alert " + alert + " is not in AlertCatalog")).ruleName();
  }

  private static Set<String> all(Pattern pattern, String text) {
    Set<String> found = new TreeSet<>();
    Matcher matcher = pattern.matcher(text);
    while (matcher.find()) {
      found.add(matcher.groupCount() > 0 ? matcher.group(1) : matcher.group());
    }
    return found;
  }
}
