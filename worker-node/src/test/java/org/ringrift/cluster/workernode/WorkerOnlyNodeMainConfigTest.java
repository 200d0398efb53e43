package org.ringrift.cluster.workernode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The worker-only node's command line (moved from NodeMainConfigTest with the worker-only node). */
class WorkerOnlyNodeMainConfigTest {
  @Test
  void aWorkerOnlyNodeNeedsEndpointsAndTakesNoRaftFlags() {
    String[] ok = {"--worker-only", "--id", "gpu7", "--data-dir", "/tmp/w", "--http-port", "8790",
        "--cluster-endpoints", "10.0.0.1:9770,10.0.0.2:9770", "--work-command", "selfplay=/opt/rr/selfplay",
        "--insecure"};
    WorkerNodeMain main = new WorkerNodeMain();
    WorkerNodeMain.commandLine(main, ok, Map.of()).parseArgs(ok);
    WorkerNodeConfig config = main.toWorkerConfig();
    assertThat(config.clusterEndpoints()).hasSize(2);
    assertThat(config.daemons().roles()).containsExactly("worker");
    String[] plaintext = java.util.Arrays.copyOf(ok, ok.length - 1);
    WorkerNodeMain refused = new WorkerNodeMain();
    WorkerNodeMain.commandLine(refused, plaintext, Map.of()).parseArgs(plaintext);
    assertThatThrownBy(refused::toWorkerConfig).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("refusing plaintext").hasMessageContaining("--insecure");

    String[] noEndpoints = {"--worker-only", "--id", "gpu7", "--data-dir", "/tmp/w", "--http-port", "8790"};
    WorkerNodeMain bare = new WorkerNodeMain();
    WorkerNodeMain.commandLine(bare, noEndpoints, Map.of()).parseArgs(noEndpoints);
    assertThatThrownBy(bare::toWorkerConfig).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--cluster-endpoints");

    String[] withPeers = {"--worker-only", "--id", "gpu7", "--data-dir", "/tmp/w", "--http-port", "8790",
        "--cluster-endpoints", "10.0.0.1:9770", "--peers", "n1=127.0.0.1:9870"};
    WorkerNodeMain member = new WorkerNodeMain();
    WorkerNodeMain.commandLine(member, withPeers, Map.of()).parseArgs(withPeers);
    assertThatThrownBy(member::toWorkerConfig).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--peers");
  }
}
