package org.ringrift.cluster.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.ringrift.cluster.cli.ProcessCluster;
import org.ringrift.cluster.client.ClusterClient;
import org.ringrift.cluster.client.tls.ClusterCa;
import org.ringrift.cluster.contract.tls.CertRole;
import org.ringrift.cluster.contract.tls.TlsChannels;
import org.ringrift.cluster.contract.tls.TlsFiles;

/**
 * A TLS process cluster seen by a browser holding a read-role certificate: the pages read, but a
 * redrive is refused on the page with the admin API's own words, and rrctl still reads the item
 * as it was.
 */
class ConsoleTlsBrowserIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void anActionWithoutTheRoleIsRefusedOnThePage() throws Exception {
    Browser.requireInstalled();
    Path dir = Files.createTempDirectory("console-tls-it");
    Path certs = dir.resolve("certs");
    ClusterCa ca = ClusterCa.create(certs, "console-it", Duration.ofDays(1));
    for (String id : List.of("n1", "n2", "n3")) {
      ca.issue(id, CertRole.NODE, List.of(), Duration.ofDays(1));
    }
    ca.issue("admin", CertRole.ADMIN, List.of(), Duration.ofDays(1));
    ca.issue("reader", CertRole.READ, List.of(), Duration.ofDays(1));
    try (ProcessCluster cluster = ProcessCluster.withTls(dir, 3, certs);
        Browser browser = new Browser()) {
      Awaitility.await("a leader every node names").atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200)).until(() -> cluster.agreedLeader().isPresent());
      String leader = cluster.agreedLeader().orElseThrow();
      String id;
      try (ClusterClient admin = new ClusterClient(cluster.endpoints(), Duration.ofSeconds(10),
          new TlsChannels(Optional.of(TlsFiles.inDir(certs, "admin"))))) {
        id = DeadLetters.make(admin);
      }
      try (ReaderProxy reader = new ReaderProxy(certs, "reader", cluster.httpPort(0))) {
        browser.open("http://127.0.0.1:" + reader.port() + "/#/queue");
        browser.waitUpTo(Duration.ofSeconds(15)).withMessage("the reader sees the leader")
            .until(d -> browser.text("leader-id").equals(leader));
        browser.waitUpTo(Duration.ofSeconds(15)).withMessage("the reader sees dead letter " + id)
            .until(d -> !browser.elements("[data-testid='redrive-" + id + "']").isEmpty());
        assertThat(browser.driver().findElement(org.openqa.selenium.By.id("caller")).getText())
            .isEqualTo("reader (read)");
        browser.element("redrive-" + id).click();
        browser.waitUpTo(Duration.ofSeconds(10)).withMessage("the refusal shown")
            .until(d -> browser.text("action-result").contains("refused"));
        browser.screenshot("tls-reader-redrive-refused");
        assertThat(browser.text("action-result")).contains("PERMISSION_DENIED")
            .contains("reader (read) may not call Redrive: role read lacks permission OPERATE");
      }
      String state = JSON.readTree(cluster.rrctl("-o", "json", "queue", "get", id)).path("state").asText();
      assertThat(state).as("the refused redrive changed nothing").isEqualTo("failed");
    }
  }
}
