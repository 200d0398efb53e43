package org.ringrift.cluster.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ringrift.cluster.proto.WorkType;

class NodeMainConfigTest {
  @TempDir Path dir;

  private NodeConfig parse(Map<String, String> env, String... args) {
    NodeMain main = new NodeMain();
    NodeMain.commandLine(main, args, env).parseArgs(args);
    return main.toConfig();
  }

  private Path file(String text) throws Exception {
    Path file = dir.resolve("rrnode.properties");
    Files.writeString(file, text);
    return file;
  }

  @Test
  void flagBeatsEnvironmentBeatsFileBeatsDefault() throws Exception {
    Path config = file("""
        id=n2
        peers=n1=127.0.0.1:9870,n2=127.0.0.1:9871,n3=127.0.0.1:9872
        data-dir=/var/lib/rr/n2
        admin-port=9771
        http-port=8771
        heartbeat-ms=3000
        work-command=selfplay=/opt/rr/selfplay --fast;training=/opt/rr/train
        """);

    NodeConfig fromFile = parse(Map.of(), "--config", config.toString());
    NodeConfig fromEnv = parse(Map.of("RRNODE_ADMIN_PORT", "19771"), "--config", config.toString());
    NodeConfig fromFlag = parse(Map.of("RRNODE_ADMIN_PORT", "19771"), "--config", config.toString(), "--admin-port", "29771");

    assertThat(fromFile.nodeId()).isEqualTo("n2");
    assertThat(fromFile.adminPort()).isEqualTo(9771);
    assertThat(fromFile.daemons().heartbeatInterval().toMillis()).isEqualTo(3000);
    assertThat(fromFile.daemons().leaderTickInterval().toMillis()).isEqualTo(5000);
    assertThat(fromFile.daemons().workCommands()).containsEntry(WorkType.WORK_TYPE_SELFPLAY,
        java.util.List.of("/opt/rr/selfplay", "--fast"));
    assertThat(fromFile.daemons().roles()).contains("worker");
    assertThat(fromEnv.adminPort()).isEqualTo(19771);
    assertThat(fromFlag.adminPort()).isEqualTo(29771);
  }

  @Test
  void anUnknownKeyInTheFileIsAnErrorThatNamesIt() throws Exception {
    Path config = file("id=n1\nadmin-prot=9770\n");

    assertThatThrownBy(() -> parse(Map.of(), "--config", config.toString()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown key 'admin-prot'");
  }

  @Test
  void aMissingRequiredOptionSaysWhereItCanComeFrom() {
    assertThatThrownBy(() -> parse(Map.of(), "--id", "n1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--data-dir is required").hasMessageContaining("RRNODE_DATA_DIR");
  }

  @Test
  void datasetsComeFromTheFileOrTheEnvironmentAndBadOnesAreRefused() throws Exception {
    Path config = file("""
        id=n1
        peers=n1=127.0.0.1:9870
        data-dir=/var/lib/rr/n1
        admin-port=9770
        http-port=8770
        dataset=models=model:models/*.pt;games=selfplay-db:games
        sync-max-files=50
        """);
    NodeMain main = new NodeMain();
    String[] args = {"--config", config.toString()};
    NodeMain.commandLine(main, args, Map.of()).parseArgs(args);
    org.ringrift.cluster.daemons.sync.SyncSettings sync = main.toSyncSettings();
    assertThat(sync.datasets()).extracting(d -> d.toString())
        .containsExactly("models=model:models/*.pt", "games=selfplay-db:games/**");
    assertThat(sync.maxFilesPerDataset()).isEqualTo(50);
    assertThat(sync.diskReserveBytes()).isEqualTo(1024L << 20);

    NodeMain fromEnv = new NodeMain();
    NodeMain.commandLine(fromEnv, args, Map.of("RRNODE_DATASET", "npz=training-npz:npz")).parseArgs(args);
    assertThat(fromEnv.toSyncSettings().datasets()).extracting(d -> d.name()).containsExactly("npz");

    NodeMain bad = new NodeMain();
    NodeMain.commandLine(bad, args, Map.of("RRNODE_DATASET", "npz=tarball:npz")).parseArgs(args);
    assertThatThrownBy(bad::toSyncSettings).hasMessageContaining("kind 'tarball'");
  }

  private static final String[] MINIMAL = {"--id", "n1", "--peers", "n1=127.0.0.1:9870", "--data-dir", "/tmp/rr-n1",
      "--admin-port", "9770", "--http-port", "8770"};

  private static String[] with(String... more) {
    String[] all = java.util.Arrays.copyOf(MINIMAL, MINIMAL.length + more.length);
    System.arraycopy(more, 0, all, MINIMAL.length, more.length);
    return all;
  }

  private static org.ringrift.cluster.raft.UnsafeTestHooks hooks(Map<String, String> env, java.util.Properties props,
      String... args) {
    NodeMain main = new NodeMain();
    NodeMain.commandLine(main, args, env).parseArgs(args);
    return main.unsafeHooks(props);
  }

  private static java.util.Properties props(String... keyValues) {
    java.util.Properties p = new java.util.Properties();
    for (int i = 0; i < keyValues.length; i += 2) {
      p.setProperty(keyValues[i], keyValues[i + 1]);
    }
    return p;
  }

  @Test
  void logSegmentBytesReachesTheRaftSettingsAndHasAFloor() {
    assertThat(parse(Map.of(), with()).raft().segmentSizeBytes()).isEqualTo(8L * 1024 * 1024);
    assertThat(parse(Map.of(), with("--log-segment-bytes", "65536")).raft().segmentSizeBytes()).isEqualTo(65536);
    assertThatThrownBy(() -> parse(Map.of(), with("--log-segment-bytes", "1000")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--log-segment-bytes 1000")
        .hasMessageContaining("16384");
  }

  @Test
  void durationsAndSizesTakeTheirOldBareNumbersOrAUnit() {
    NodeConfig bare = parse(Map.of(), with("--heartbeat-ms", "3000", "--log-segment-bytes", "65536",
        "--admin-max-message-bytes", "8388608"));
    NodeConfig units = parse(Map.of(), with("--heartbeat-ms", "3s", "--log-segment-bytes", "64KiB",
        "--admin-max-message-bytes", "8MiB"));
    assertThat(units.daemons().heartbeatInterval()).isEqualTo(bare.daemons().heartbeatInterval())
        .isEqualTo(Duration.ofSeconds(3));
    assertThat(units.raft().segmentSizeBytes()).isEqualTo(bare.raft().segmentSizeBytes()).isEqualTo(65536);
    assertThat(parse(Map.of("RRNODE_ELECTION_TIMEOUT_MIN_MS", "200ms"), with()).raft().electionTimeoutMin())
        .isEqualTo(Duration.ofMillis(200));

    NodeMain mb = new NodeMain();
    String[] reserve = with("--sync-disk-reserve-mb", "2GiB", "--data-disk-reserve-mb", "512");
    NodeMain.commandLine(mb, reserve, Map.of()).parseArgs(reserve);
    assertThat(mb.toSyncSettings().diskReserveBytes()).isEqualTo(2L << 30);
    assertThat(mb.toEdgeLimits().dataDiskReserveBytes()).isEqualTo(512L << 20);

    assertThatThrownBy(() -> parse(Map.of(), with("--heartbeat-ms", "3 parsecs")))
        .isInstanceOf(picocli.CommandLine.ParameterException.class).hasMessageContaining("--heartbeat-ms")
        .hasMessageContaining("500ms");
    assertThatThrownBy(() -> parse(Map.of(), with("--log-segment-bytes", "64KB")))
        .isInstanceOf(picocli.CommandLine.ParameterException.class).hasMessageContaining("--log-segment-bytes")
        .hasMessageContaining("64KiB");
  }

  @Test
  void aWorkerOnlyNodeIsRefusedHereAndPointedToTheWorkerNodeJar() {
    NodeMain main = new NodeMain();
    String[] args = with("--worker-only");
    NodeMain.commandLine(main, args, Map.of()).parseArgs(args);
    assertThatThrownBy(main::call).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("worker-node").hasMessageContaining("bin/rrnode");
  }

  @Test
  void theFailedDaemonRetryReachesTheRestartPolicyAndHasAFloor() {
    assertThat(parse(Map.of(), with()).daemons().restartPolicy().failedRetryInterval()).isEqualTo(Duration.ofMinutes(5));
    assertThat(parse(Map.of("RRNODE_DAEMON_FAILED_RETRY_MS", "60000"), with()).daemons().restartPolicy()
        .failedRetryInterval()).isEqualTo(Duration.ofMinutes(1));
    assertThat(parse(Map.of(), with("--daemon-failed-retry-ms", "2000")).daemons().failedRetryInterval())
        .isEqualTo(Duration.ofSeconds(2));
    assertThatThrownBy(() -> parse(Map.of(), with("--daemon-failed-retry-ms", "10")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--daemon-failed-retry-ms 10")
        .hasMessageContaining("1000");
  }

  @Test
  void anUnsafeHookPropertyWithoutTheFlagIsRefused() {
    assertThatThrownBy(() -> hooks(Map.of(), props("ringrift.unsafe.fencing", "off"), MINIMAL))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-Dringrift.unsafe.fencing")
        .hasMessageContaining("refused without --unsafe-test-hooks");
    assertThat(hooks(Map.of(), props("other.property", "x"), MINIMAL)).isEqualTo(org.ringrift.cluster.raft.UnsafeTestHooks.NONE);
  }

  @Test
  void theFlagHonoursKnownHooksAndRefusesUnknownOnesOrValues() {
    org.ringrift.cluster.raft.UnsafeTestHooks both = hooks(Map.of(),
        props("ringrift.unsafe.fencing", "off", "ringrift.unsafe.reads", "default"), with("--unsafe-test-hooks"));
    assertThat(both.fencingDisabled()).isTrue();
    assertThat(both.linearizableReadsDisabled()).isTrue();
    assertThat(hooks(Map.of(), props("ringrift.unsafe.reads", "local"), with("--unsafe-test-hooks")).localReads()).isTrue();
    assertThat(hooks(Map.of(), props("ringrift.unsafe.writes", "shared-client"), with("--unsafe-test-hooks"))
        .sharedOrderedClient()).isTrue();
    assertThatThrownBy(() -> hooks(Map.of(), props("ringrift.unsafe.reads", "stale"), with("--unsafe-test-hooks")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'default'").hasMessageContaining("'local'");
    assertThat(hooks(Map.of(), props(), with("--unsafe-test-hooks")).any()).isFalse();
    assertThatThrownBy(() -> hooks(Map.of(), props("ringrift.unsafe.fencin", "off"), with("--unsafe-test-hooks")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown unsafe test hook");
    assertThatThrownBy(() -> hooks(Map.of(), props("ringrift.unsafe.fencing", "true"), with("--unsafe-test-hooks")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only accepted value is 'off'");
  }

  @Test
  void theFlagCountsOnlyOnTheCommandLine() {
    assertThatThrownBy(() -> hooks(Map.of("RRNODE_UNSAFE_TEST_HOOKS", "true"), props("ringrift.unsafe.fencing", "off"),
        MINIMAL)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only honoured on the command line");
    assertThatThrownBy(() -> hooks(Map.of(), props(), with("--clock-offset-file", "/tmp/offset")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs --unsafe-test-hooks");
  }

  private static final String[] REACHABLE = {"--id", "n1", "--peers",
      "n1=10.255.0.1:9870,n2=10.255.0.2:9870,n3=10.255.0.3:9870", "--bind", "10.255.0.1", "--data-dir", "/tmp/x",
      "--admin-port", "9770", "--http-port", "8770"};

  private static String[] extend(String[] base, String... more) {
    String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return all;
  }

  @Test
  void aNodeOnAReachableAddressRefusesPlaintextUnlessToldInsecure() {
    assertThatThrownBy(() -> parse(Map.of(), REACHABLE)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("refusing plaintext").hasMessageContaining("--tls-dir").hasMessageContaining("--insecure");
    assertThat(parse(Map.of(), extend(REACHABLE, "--insecure")).transport()).isEqualTo(Transport.INSECURE);
  }

  @Test
  void loopbackPlaintextStaysTheDefault() {
    NodeConfig config = parse(Map.of(), "--id", "n1", "--peers", "n1=127.0.0.1:9870", "--data-dir", "/tmp/x",
        "--admin-port", "9770", "--http-port", "8770");
    assertThat(config.transport()).isEqualTo(Transport.PLAINTEXT_LOOPBACK);
  }

  @Test
  void aTlsDirNeedsTheNodesFilesAndThenSecuresAReachableNode() throws Exception {
    Path certs = dir.resolve("certs");
    assertThatThrownBy(() -> parse(Map.of(), extend(REACHABLE, "--tls-dir", certs.toString())))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ca.pem");
    org.ringrift.cluster.client.tls.ClusterCa.create(certs, "t", java.time.Duration.ofDays(1))
        .issue("n1", org.ringrift.cluster.contract.tls.CertRole.NODE, java.util.List.of(), java.time.Duration.ofDays(1));
    NodeConfig config = parse(Map.of(), extend(REACHABLE, "--tls-dir", certs.toString()));
    assertThat(config.transport()).isEqualTo(Transport.MTLS);
    assertThat(config.tls().orElseThrow().cert()).isEqualTo(certs.resolve("n1.pem"));
    assertThatThrownBy(() -> parse(Map.of(), extend(REACHABLE, "--tls-dir", certs.toString(), "--insecure")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exclude");
  }
}
