package org.ringrift.cluster.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ringrift.cluster.proto.EnqueueRequest;
import org.ringrift.cluster.proto.WorkType;
import org.ringrift.cluster.raft.RaftSettings;

/**
 * The console on a plaintext 3-node cluster, over HTTP: the page and its files come from the jar,
 * the API answers with the admin API's data and rejections, bad input names its field, and an
 * action needs the console's header. (Role checks over HTTPS: TlsClusterTest.)
 */
class ConsoleApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();

  @TempDir Path dir;

  @Test
  void theConsoleServesItsPageAndTheClusterThroughTheAdminCalls() throws Exception {
    try (LocalCluster cluster = new LocalCluster(dir, 3, RaftSettings.defaults(), LocalCluster.quiet())) {
      await().atMost(Duration.ofSeconds(30)).until(() -> cluster.readyLeader().isPresent());
      int port = cluster.httpPort(1);
      String leader = "n" + (cluster.readyLeader().get() + 1);

      HttpResponse<String> page = get(port, "/");
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
      assertThat(page.body()).contains("RingRift console").doesNotContain("http://", "https://");
      assertThat(get(port, "/console/console.js").statusCode()).isEqualTo(200);
      assertThat(get(port, "/console/lib/uPlot.iife.min.js").body()).contains("uPlot");
      assertThat(get(port, "/console/..%2Fconsole%2Findex.html").statusCode()).isEqualTo(404);
      assertThat(get(port, "/status").statusCode()).isEqualTo(200);

      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
        JsonNode c = JSON.readTree(get(port, "/api/cluster").body());
        assertThat(c.path("leader_id").asText()).isEqualTo(leader);
        assertThat(c.path("members")).hasSize(3);
        for (JsonNode m : c.path("members")) {
          assertThat(m.path("reachable").asBoolean()).as(m.toString()).isTrue();
          assertThat(m.path("lag").isNumber()).as(m.toString()).isTrue();
        }
        assertThat(c.path("leader_history").size()).isPositive();
      });

      cluster.client().enqueue(EnqueueRequest.newBuilder().setType(WorkType.WORK_TYPE_SELFPLAY).build());
      JsonNode stats = JSON.readTree(get(port, "/api/queue/stats").body());
      assertThat(stats.path("pending").asLong()).isPositive();
      JsonNode items = JSON.readTree(get(port, "/api/queue/items?state=pending&type=selfplay&limit=10").body());
      assertThat(items.path("items").size()).isPositive();

      HttpResponse<String> badState = get(port, "/api/queue/items?state=lost");
      assertThat(badState.statusCode()).isEqualTo(400);
      assertThat(badState.body()).contains("state: 'lost' is not one of");
      HttpResponse<String> badLimit = get(port, "/api/queue/items?limit=100000");
      assertThat(badLimit.statusCode()).isEqualTo(400);
      assertThat(badLimit.body()).contains("limit: 100000 is out of range 1-500");

      HttpResponse<String> noHeader = http.send(HttpRequest.newBuilder(uri(port, "/api/queue/cancel?id=w-1"))
          .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(noHeader.statusCode()).isEqualTo(403);
      HttpResponse<String> missing = http.send(HttpRequest.newBuilder(uri(port, "/api/queue/cancel"))
          .header("X-RingRift-Console", "1").header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString("id=w-999999")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(missing.statusCode()).as(missing.body()).isEqualTo(404);
      assertThat(missing.body()).contains("NOT_FOUND");
    }
  }

  private static URI uri(int port, String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  private HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(uri(port, path)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
