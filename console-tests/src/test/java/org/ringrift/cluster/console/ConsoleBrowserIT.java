package org.ringrift.cluster.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.logging.LogEntry;
import org.ringrift.cluster.cli.ProcessCluster;
import org.ringrift.cluster.client.ClusterClient;

/**
 * The console in a real browser against a real 3-node process cluster (plaintext loopback, as
 * ./run starts it): every page loads without a console error and shows the leader; a dead letter
 * redriven from the page is pending for rrctl; a killed leader's successor shows up without a
 * reload. Screenshots: console-tests/target/screenshots.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserIT {
  private static final List<String> PAGES = List.of("cluster", "queue", "nodes", "daemons", "events");

  private static final ObjectMapper JSON = new ObjectMapper();

  private static ProcessCluster cluster;
  private static Browser browser;

  @BeforeAll
  static void start() throws Exception {
    Browser.requireInstalled();
    Path dir = Files.createTempDirectory("console-it");
    cluster = new ProcessCluster(dir, 3);
    browser = new Browser();
    Awaitility.await("a leader every node names").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
        .until(() -> cluster.agreedLeader().isPresent());
  }

  @AfterAll
  static void stop() throws Exception {
    if (browser != null) {
      browser.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private static String url(int node, String page) {
    return "http://127.0.0.1:" + cluster.httpPort(node) + "/#/" + page;
  }

  @Test
  @Order(1)
  void everyPageLoadsWithoutConsoleErrorsAndShowsTheLeader() throws Exception {
    String leader = cluster.agreedLeader().orElseThrow();
    for (String page : PAGES) {
      browser.open("about:blank");
      browser.consoleLog();
      browser.open(url(1, page));
      browser.waitUpTo(Duration.ofSeconds(10)).withMessage(page + " page shows leader " + leader)
          .until(d -> browser.text("leader-id").equals(leader));
      String marker = switch (page) {
        case "cluster" -> "[data-testid='member-n3']";
        case "queue" -> "[data-testid='count-pending']";
        case "nodes" -> "[data-testid='nodes']";
        case "daemons" -> "[data-testid^='daemons-n']";
        default -> "[data-testid='events']";
      };
      browser.waitUpTo(Duration.ofSeconds(10)).withMessage(page + " page content " + marker)
          .until(d -> !browser.elements(marker).isEmpty());
      browser.screenshot("page-" + page);
      List<LogEntry> errors = browser.consoleErrors();
      assertThat(errors).as("browser console errors on the " + page + " page").isEmpty();
    }
  }

  @Test
  @Order(2)
  void redriveFromThePageMakesTheDeadLetterPendingForRrctl() throws Exception {
    String id = deadLetter();
    assertThat(JSON.readTree(cluster.rrctl("-o", "json", "queue", "get", id)).path("state").asText())
        .isEqualTo("failed");
    browser.open(url(2, "queue"));
    browser.waitUpTo(Duration.ofSeconds(15)).withMessage("dead letter " + id + " listed")
        .until(d -> !browser.elements("[data-testid='redrive-" + id + "']").isEmpty());
    browser.screenshot("queue-dead-letter");
    browser.element("redrive-" + id).click();
    browser.waitUpTo(Duration.ofSeconds(10)).withMessage("the cluster's answer shown")
        .until(d -> browser.text("action-result").contains("done"));
    assertThat(browser.text("action-result")).contains(id + " is now pending");
    browser.screenshot("queue-redriven");
    JsonNode item = JSON.readTree(cluster.rrctl("-o", "json", "queue", "get", id));
    assertThat(item.path("state").asText()).as("state rrctl reads after the page's redrive").isEqualTo("pending");
    assertThat(item.path("attempts").asInt()).isZero();
    assertThat(browser.consoleErrors()).isEmpty();
  }

  @Test
  @Order(3)
  void itemDetailShowsPayloadAndHistory() throws Exception {
    String id = deadLetter();
    browser.open(url(0, "queue"));
    browser.waitUpTo(Duration.ofSeconds(15)).until(d -> !browser.elements("[data-testid='dead-" + id + "'] a").isEmpty());
    browser.elements("[data-testid='dead-" + id + "'] a").get(0).click();
    browser.waitUpTo(Duration.ofSeconds(10)).until(d -> browser.elements("[data-testid='detail-id']").stream()
        .anyMatch(e -> e.getText().equals(id)));
    assertThat(browser.text("detail-payload")).contains("\"console\": \"test\"");
    assertThat(browser.text("item-detail")).contains("boom from the console test");
    browser.screenshot("queue-item-detail");
  }

  @Test
  @Order(4)
  void theEventsPageShowsNewEventsLiveWithoutAReload() throws Exception {
    browser.open("about:blank");
    browser.consoleLog();
    browser.open(url(0, "events"));
    browser.waitUpTo(Duration.ofSeconds(10)).withMessage("the event stream open")
        .until(d -> browser.text("events-status").startsWith("live"));
    JavascriptExecutor js = browser.driver();
    js.executeScript("window.__sameDocument = 'yes';");
    String id = deadLetter();
    browser.waitUpTo(Duration.ofSeconds(10)).withMessage("the WORK_FAILED event of " + id + " streamed in")
        .until(d -> browser.elements("[data-testid='events'] tbody tr").stream()
            .anyMatch(row -> row.getText().contains("WORK_FAILED") && row.getText().contains(id)));
    browser.screenshot("events-live");
    assertThat(js.executeScript("return window.__sameDocument;")).as("the page was not reloaded").isEqualTo("yes");
    assertThat(browser.consoleErrors()).isEmpty();
  }

  @Test
  @Order(10)
  void afterTheLeaderIsKilledTheClusterPageShowsTheNewLeaderWithoutAReload() throws Exception {
    String leader = cluster.agreedLeader().orElseThrow();
    int leaderIndex = cluster.index(leader);
    int watcher = (leaderIndex + 1) % cluster.size();
    browser.open(url(watcher, "cluster"));
    browser.waitUpTo(Duration.ofSeconds(10)).until(d -> browser.text("leader-id").equals(leader));
    JavascriptExecutor js = browser.driver();
    js.executeScript("window.__sameDocument = 'yes';");
    long killedAt = System.nanoTime();
    cluster.kill(leaderIndex);
    browser.waitUpTo(Duration.ofSeconds(15)).withMessage("a new leader on the page")
        .until(d -> {
          String shown = browser.text("leader-id");
          return !shown.equals(leader) && shown.matches("n\\d+");
        });
    long seconds = Duration.ofNanos(System.nanoTime() - killedAt).toSeconds();
    browser.waitUpTo(Duration.ofSeconds(10)).withMessage("the dead node shown unreachable")
        .until(d -> "UNREACHABLE".equals(browser.element("member-" + leader).getAttribute("data-role")));
    browser.screenshot("cluster-after-leader-kill");
    assertThat(js.executeScript("return window.__sameDocument;")).as("the page was not reloaded").isEqualTo("yes");
    assertThat(seconds).as("seconds from kill to the new leader on the page").isLessThanOrEqualTo(10);
    cluster.start(leaderIndex);
  }

  private static String deadLetter() {
    try (ClusterClient client = new ClusterClient(cluster.endpoints(), Duration.ofSeconds(10))) {
      return DeadLetters.make(client);
    }
  }
}
