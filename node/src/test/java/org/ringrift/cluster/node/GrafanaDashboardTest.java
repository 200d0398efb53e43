package org.ringrift.cluster.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ringrift.cluster.client.ClusterClient;
import org.ringrift.cluster.proto.EnqueueRequest;
import org.ringrift.cluster.proto.WorkType;
import org.ringrift.cluster.raft.RaftSettings;

/**
 * docs/grafana/ringrift.json cannot name a metric the node does not serve: every ringrift_ name
 * in a panel query is in a real node's /metrics, and every alert rule of
 * docs/prometheus-rules.yml is referenced from the dashboard.
 */
class GrafanaDashboardTest {
  private static final Path DOCS = Path.of(System.getProperty("user.dir")).getParent().resolve("docs");
  private static final Pattern METRIC = Pattern.compile("\\bringrift_[a-z0-9_]+");

  @TempDir Path dir;

  @Test
  void everyMetricTheDashboardNamesIsServedAndEveryAlertRuleIsReferenced() throws Exception {
    JsonNode dashboard = new ObjectMapper().readTree(DOCS.resolve("grafana/ringrift.json").toFile());
    List<String> expressions = new ArrayList<>();
    dashboard.findValues("expr").forEach(e -> expressions.add(e.asText()));
    Set<String> named = new TreeSet<>();
    expressions.forEach(e -> named.addAll(all(METRIC, e)));
    assertThat(expressions).hasSizeGreaterThanOrEqualTo(15);
    assertThat(named).contains("ringrift_raft_term", "ringrift_raft_is_leader", "ringrift_queue_items",
        "ringrift_daemon_restarts_total");

    String rules = Files.readString(DOCS.resolve("prometheus-rules.yml"));
    Set<String> ruleNames = all(Pattern.compile("^\\s*- alert:\\s*(\\S+)\\s*$", Pattern.MULTILINE), rules);
    assertThat(ruleNames).isNotEmpty();
    assertThat(dashboard.toString()).contains(ruleNames);

    try (LocalCluster cluster = new LocalCluster(dir, 1, RaftSettings.defaults(), LocalCluster.quiet())) {
      ClusterClient client = cluster.client();
      await().atMost(Duration.ofSeconds(30)).until(() -> cluster.readyLeader().isPresent());
      // A write, so commit latency and batching have samples (their names exist either way).
      client.enqueue(EnqueueRequest.newBuilder().setType(WorkType.WORK_TYPE_SELFPLAY).build());
      String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
          + cluster.httpPort(0) + "/metrics")).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
      Set<String> served = all(Pattern.compile("^(ringrift_[a-z0-9_]+)[{ ]", Pattern.MULTILINE), metrics);
      assertThat(served).as("metrics a real node serves").containsAll(named);
    }
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
