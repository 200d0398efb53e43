package org.ringrift.cluster.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.ratis.util.ExitUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ringrift.cluster.contract.tls.TlsFiles;
import org.ringrift.cluster.node.DaemonSettings;
import org.ringrift.cluster.node.NodeConfig;
import org.ringrift.cluster.node.NodeService;
import org.ringrift.cluster.raft.ClusterSpec;
import org.ringrift.cluster.raft.Member;
import org.ringrift.cluster.raft.RaftSettings;
import org.ringrift.cluster.raft.TestPorts;

/**
 * rrctl against a TLS node (one real member in this JVM, certificates from rrctl certs init): the
 * role in the operator's certificate decides, and a refusal is exit code 6.
 */
class RrctlTlsTest {
  @TempDir static Path dir;
  private static NodeService node;
  private static String endpoint;
  private static Path certs;

  @BeforeAll
  static void startTlsNode() throws Exception {
    ExitUtils.disableSystemExit();
    certs = dir.resolve("certs");
    InProcessRrctl bare = new InProcessRrctl(List.of());
    assertThat(bare.run("certs", "init", "--dir", certs.toString(), "--nodes", "n1").exitCode()).isZero();
    int base = TestPorts.freeBlock(3);
    ClusterSpec spec = new ClusterSpec("tls", List.of(new Member("n1", "127.0.0.1", base)));
    node = new NodeService(new NodeConfig("n1", spec, dir.resolve("n1"), "127.0.0.1", base + 1, base + 2,
        RaftSettings.defaults(), DaemonSettings.fast(), 1000, false, Optional.of(TlsFiles.inDir(certs, "n1")), false),
        Clock.systemUTC());
    node.start();
    endpoint = "127.0.0.1:" + (base + 1);
    await().atMost(Duration.ofSeconds(30)).until(() -> as("reader").run("status").exitCode() == 0);
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  private static InProcessRrctl as(String name) {
    return new InProcessRrctl(List.of("--endpoint", endpoint, "--timeout", "5s", "--tls-dir", certs.toString(),
        "--tls-name", name));
  }

  @Test
  void aReadCertificateReadsButCannotEnqueueExitSix() {
    InProcessRrctl.Result status = as("reader").run("--output", "json", "status");
    assertThat(status.exitCode()).as(status.err()).isZero();
    assertThat(status.json().get("transport").asText()).isEqualTo("mtls");
    InProcessRrctl.Result denied = as("reader").run("queue", "add", "--type", "selfplay");
    assertThat(denied.exitCode()).isEqualTo(6);
    assertThat(denied.err()).startsWith("rrctl: reader (read) may not call Enqueue");
  }

  @Test
  void anOperateCertificateEnqueuesButCannotChangeConfig() {
    assertThat(as("operator").run("queue", "add", "--type", "selfplay").exitCode()).isZero();
    InProcessRrctl.Result denied = as("operator").run("config", "set", "queue.max_pending", "100");
    assertThat(denied.exitCode()).as(denied.err()).isEqualTo(6);
  }

  @Test
  void withoutACertificateRrctlCannotConnect() {
    InProcessRrctl.Result plaintext = new InProcessRrctl(List.of("--endpoint", endpoint, "--timeout", "2s"))
        .run("status");
    assertThat(plaintext.exitCode()).isEqualTo(3);
  }
}
