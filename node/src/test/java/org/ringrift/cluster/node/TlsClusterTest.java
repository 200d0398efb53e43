package org.ringrift.cluster.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.util.ExitUtils;
import org.apache.ratis.util.TimeDuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.ringrift.cluster.client.ClusterClient;
import org.ringrift.cluster.client.ClusterException;
import org.ringrift.cluster.client.tls.ClusterCa;
import org.ringrift.cluster.contract.Endpoint;
import org.ringrift.cluster.contract.errors.ErrorKind;
import org.ringrift.cluster.contract.tls.CertRole;
import org.ringrift.cluster.contract.tls.TlsChannels;
import org.ringrift.cluster.contract.tls.TlsFiles;
import org.ringrift.cluster.contract.tls.TlsMaterial;
import org.ringrift.cluster.proto.ClaimRequest;
import org.ringrift.cluster.proto.ClaimResult;
import org.ringrift.cluster.proto.Command;
import org.ringrift.cluster.proto.CompleteRequest;
import org.ringrift.cluster.proto.EnqueueRequest;
import org.ringrift.cluster.proto.HeartbeatRequest;
import org.ringrift.cluster.proto.WorkItem;
import org.ringrift.cluster.proto.WorkType;
import org.ringrift.cluster.raft.ClusterSpec;
import org.ringrift.cluster.raft.Member;
import org.ringrift.cluster.raft.RaftSettings;
import org.ringrift.cluster.raft.RatisProperties;
import org.ringrift.cluster.raft.TestPorts;

/**
 * A real 3-node cluster with mutual TLS on the Raft and admin ports (Ratis and gRPC on loopback):
 * who gets in, and what each certificate role may do.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsClusterTest {
  private Path dir;

  private Path certs;
  private Path foreignCerts;
  private ClusterSpec spec;
  private final List<NodeService> nodes = new ArrayList<>();
  private final List<NodeConfig> configs = new ArrayList<>();
  private final List<ClusterClient> clients = new ArrayList<>();

  @BeforeAll
  void startTlsCluster(@TempDir Path tempDir) throws Exception {
    dir = tempDir;
    ExitUtils.disableSystemExit();
    certs = dir.resolve("certs");
    ClusterCa ca = ClusterCa.create(certs, "test", Duration.ofDays(1));
    for (String id : List.of("n1", "n2", "n3")) {
      ca.issue(id, CertRole.NODE, List.of(), Duration.ofDays(1));
    }
    ca.issue("admin", CertRole.ADMIN, List.of(), Duration.ofDays(1));
    ca.issue("reader", CertRole.READ, List.of(), Duration.ofDays(1));
    ca.issue("w1", CertRole.WORKER, List.of(), Duration.ofDays(1));
    ca.issue("w2", CertRole.WORKER, List.of(), Duration.ofDays(1));
    foreignCerts = dir.resolve("foreign");
    ClusterCa foreign = ClusterCa.create(foreignCerts, "test", Duration.ofDays(1));
    foreign.issue("n1", CertRole.NODE, List.of(), Duration.ofDays(1));
    foreign.issue("n4", CertRole.NODE, List.of(), Duration.ofDays(1));
    foreign.issue("admin", CertRole.ADMIN, List.of(), Duration.ofDays(1));

    int base = TestPorts.freeBlock(12);
    List<Member> members = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      members.add(new Member("n" + (i + 1), "127.0.0.1", base + i));
    }
    spec = new ClusterSpec("tls", members);
    for (int i = 0; i < 3; i++) {
      String id = members.get(i).id();
      configs.add(new NodeConfig(id, spec, dir.resolve(id), "127.0.0.1", base + 3 + i, base + 6 + i,
          RaftSettings.defaults(), DaemonSettings.fast(), 1000, false, Optional.of(TlsFiles.inDir(certs, id)), false));
    }
    for (NodeConfig config : configs) {
      NodeService node = new NodeService(config, Clock.systemUTC());
      node.start();
      nodes.add(node);
    }
    ClusterClient admin = client(certs, "admin");
    await().atMost(Duration.ofSeconds(30)).until(() -> nodes.stream().anyMatch(n -> n.raft().gate().readyTerm().isPresent())
        && !admin.status().getLeaderId().isEmpty());
  }

  @AfterAll
  void stop() throws Exception {
    clients.forEach(ClusterClient::close);
    for (NodeService node : nodes) {
      node.close();
    }
  }

  /**
   * A certificate and key from the other CA, trusting this cluster's CA: the other side of every
   * handshake is satisfied, so a failure is the cluster refusing the stranger.
   */
  private TlsFiles foreign(String name) {
    return new TlsFiles(certs.resolve("ca.pem"), foreignCerts.resolve(name + ".pem"), foreignCerts.resolve(name + ".key"));
  }

  private List<Endpoint> endpoints() {
    return configs.stream().map(c -> new Endpoint("127.0.0.1", c.adminPort())).toList();
  }

  private ClusterClient client(Path certDir, String name) {
    ClusterClient client = new ClusterClient(endpoints(), Duration.ofSeconds(20),
        new TlsChannels(Optional.of(TlsFiles.inDir(certDir, name))));
    clients.add(client);
    return client;
  }

  private WorkItem enqueueOne(ClusterClient admin) {
    return admin.enqueue(EnqueueRequest.newBuilder().setType(WorkType.WORK_TYPE_SELFPLAY).build()).getItem();
  }

  @Test
  void theClusterRunsOverMutualTlsAndSaysSo() {
    ClusterClient admin = client(certs, "admin");
    WorkItem item = enqueueOne(admin);
    assertThat(admin.getItem(item.getId()).getId()).isEqualTo(item.getId());
    assertThat(admin.status().getFacts().getTransport()).isEqualTo("mtls");
    assertThat(admin.members()).hasSize(3);
  }

  @Test
  void aPlaintextClientCannotConnectToATlsListener() {
    try (ClusterClient plaintext = new ClusterClient(endpoints(), Duration.ofSeconds(3))) {
      assertThatThrownBy(plaintext::status).isInstanceOfSatisfying(ClusterException.class,
          e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE));
    }
  }

  @Test
  void aClientWithACertificateFromAnotherCaCannotConnect() {
    // It trusts the cluster's CA, so the refusal is the server's, not the client's.
    try (ClusterClient stranger = new ClusterClient(endpoints(), Duration.ofSeconds(3),
        new TlsChannels(Optional.of(foreign("admin"))))) {
      assertThatThrownBy(stranger::status).isInstanceOfSatisfying(ClusterException.class,
          e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE));
    }
  }

  /**
   * The console's API on the HTTP port: HTTPS with the node certificate, the caller's client
   * certificate decides the role exactly as on the admin port; plain HTTP still serves /status
   * (scrapes unchanged) but no console data.
   */
  @Test
  void theConsoleAuthorizesByTheClientCertificateAsTheAdminPortDoes() throws Exception {
    int http = configs.get(0).httpPort();
    Answer read = https("reader", "GET", http, "/api/cluster");
    assertThat(read.status()).as(read.body()).isEqualTo(200);
    assertThat(read.body()).contains("\"leader_id\":\"n");
    Answer refused = https("reader", "POST", http, "/api/queue/redrive?id=w-1");
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.body()).contains("PERMISSION_DENIED").contains("reader (read) may not call Redrive")
        .contains("lacks permission OPERATE");
    Answer operatorAnswer = https("admin", "POST", http, "/api/queue/cancel?id=w-999999");
    assertThat(operatorAnswer.status()).as("admin passes authorization; the cluster answers").isEqualTo(404);
    assertThat(operatorAnswer.body()).contains("NOT_FOUND");
    Answer worker = https("w1", "GET", http, "/api/nodes");
    assertThat(worker.status()).as("a worker has no READ").isEqualTo(403);
    Answer none = https(null, "GET", http, "/api/cluster");
    assertThat(none.status()).isEqualTo(401);

    HttpClient plain = HttpClient.newHttpClient();
    HttpResponse<String> status = plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/status"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(status.statusCode()).isEqualTo(200);
    HttpResponse<String> api = plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/api/cluster"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(api.statusCode()).isEqualTo(401);
    assertThat(api.body()).contains("https://");
  }

  private record Answer(int status, String body) {}

  /** One HTTPS call presenting {@code name}'s certificate (none if null), trusting the cluster CA. */
  private Answer https(String name, String method, int port, String path) throws Exception {
    javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
    context.init(name == null ? null : new javax.net.ssl.KeyManager[] {TlsMaterial.keyManager(TlsFiles.inDir(certs, name))},
        new javax.net.ssl.TrustManager[] {TlsMaterial.trustManager(certs.resolve("ca.pem"))}, null);
    javax.net.ssl.HttpsURLConnection connection = (javax.net.ssl.HttpsURLConnection)
        URI.create("https://127.0.0.1:" + port + path).toURL().openConnection();
    connection.setSSLSocketFactory(context.getSocketFactory());
    // The test CA issues node certificates without host names; the CA is what is checked here.
    connection.setHostnameVerifier((host, session) -> true);
    connection.setRequestMethod(method);
    connection.setRequestProperty("X-RingRift-Console", "1");
    if (method.equals("POST")) {
      connection.setDoOutput(true);
      connection.getOutputStream().close();
    }
    int code = connection.getResponseCode();
    try (java.io.InputStream in = code >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
      return new Answer(code, in == null ? "" : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  @Test
  void aReadOperatorCannotEnqueueButCanRead() throws Exception {
    ClusterClient reader = client(certs, "reader");
    assertThat(reader.status().getNodeId()).isNotEmpty();
    assertThatThrownBy(() -> enqueueOne(reader)).isInstanceOfSatisfying(ClusterException.class, e -> {
      assertThat(e.kind()).isEqualTo(ErrorKind.PERMISSION_DENIED);
      assertThat(e.kind().exitCode()).isEqualTo(6);
      assertThat(e.getMessage()).contains("reader", "Enqueue", "read");
    });
    assertThat(deniedCount("Enqueue", "read")).isGreaterThanOrEqualTo(1.0);
  }

  @Test
  void aWorkerCannotCompleteAnItemLeasedToAnotherWorker() {
    ClusterClient admin = client(certs, "admin");
    ClusterClient w1 = client(certs, "w1");
    ClusterClient w2 = client(certs, "w2");
    WorkItem item = enqueueOne(admin);
    ClaimResult claimed = w1.claim(ClaimRequest.newBuilder().setWorkerId("w1").setMaxItems(10).setLeaseMs(60_000).build());
    WorkItem mine = claimed.getItemsList().stream().filter(i -> i.getId().equals(item.getId())).findFirst().orElseThrow();

    CompleteRequest stolen = CompleteRequest.newBuilder().setItemId(mine.getId()).setToken(mine.getLease()).build();
    assertThatThrownBy(() -> w2.complete(stolen)).isInstanceOfSatisfying(ClusterException.class, e -> {
      assertThat(e.kind()).isEqualTo(ErrorKind.PERMISSION_DENIED);
      assertThat(e.getMessage()).contains("leased to 'w1'");
    });
    assertThatThrownBy(() -> w2.claim(ClaimRequest.newBuilder().setWorkerId("w1").build()))
        .isInstanceOfSatisfying(ClusterException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.PERMISSION_DENIED));
    assertThatThrownBy(() -> w1.heartbeat(HeartbeatRequest.newBuilder().setNodeId("n1").build()))
        .isInstanceOfSatisfying(ClusterException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.PERMISSION_DENIED));
    assertThatThrownBy(() -> enqueueOne(w1))
        .isInstanceOfSatisfying(ClusterException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.PERMISSION_DENIED));
    assertThat(admin.getItem(mine.getId()).getState()).isEqualTo(mine.getState());

    assertThat(w1.complete(stolen).getState()).isEqualTo(org.ringrift.cluster.proto.WorkState.WORK_STATE_COMPLETED);
  }

  @Test
  void raftTrafficFromAnotherCaOrANonNodeCertificateIsRefused() throws Exception {
    // The same Raft client code the nodes use, over the same TLS settings, with the wrong certificates.
    assertThat(raftWriteSucceeds(foreign("n1"), "intruder-foreign-ca")).isFalse();
    assertThat(raftWriteSucceeds(TlsFiles.inDir(certs, "admin"), "intruder-operator")).isFalse();
    assertThat(raftWriteSucceeds(TlsFiles.inDir(certs, "w1"), "intruder-worker")).isFalse();
    // Control: a member's node certificate gets through, so the failures above are the certificates'.
    assertThat(raftWriteSucceeds(TlsFiles.inDir(certs, "n2"), "member-n2")).isTrue();
    ClusterClient admin = client(certs, "admin");
    assertThat(admin.listNodes()).extracting(org.ringrift.cluster.proto.NodeRecord::getNodeId)
        .contains("member-n2").doesNotContain("intruder-foreign-ca", "intruder-operator", "intruder-worker");
  }

  @Test
  void aNodeWithACertificateFromAnotherCaCannotJoin() throws Exception {
    int base = TestPorts.freeBlock(3);
    List<Member> members = new ArrayList<>(spec.members());
    members.add(new Member("n4", "127.0.0.1", base));
    NodeConfig config = new NodeConfig("n4", new ClusterSpec(spec.clusterId(), members), dir.resolve("n4"),
        "127.0.0.1", base + 1, base + 2, RaftSettings.defaults(), DaemonSettings.fast(), 1000, false,
        Optional.of(foreign("n4")), false);
    try (NodeService intruder = new NodeService(config, Clock.systemUTC())) {
      intruder.start();
      ClusterClient admin = client(certs, "admin");
      long term = admin.status().getTerm();
      // It campaigns (it counts itself a voter) but nobody answers it: it never learns a leader,
      // and its vote requests cannot disturb the term of the real members.
      enqueueOne(admin);
      await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
          .until(() -> intruder.raft().view().leaderId().isEmpty() && intruder.raft().view().appliedIndex() <= 0);
      assertThat(admin.status().getTerm()).isEqualTo(term);
      assertThat(admin.members()).extracting(org.ringrift.cluster.proto.Member::getId).doesNotContain("n4");
    }
  }

  /** Sends a heartbeat command for {@code nodeId} straight to the Raft port with these certificates. */
  private boolean raftWriteSucceeds(TlsFiles files, String nodeId) throws Exception {
    RaftProperties properties = RatisProperties.forClient(RaftSettings.defaults());
    RaftConfigKeys.Rpc.setType(properties, SupportedRpcType.GRPC);
    RaftClientConfigKeys.Rpc.setRequestTimeout(properties, TimeDuration.valueOf(2, java.util.concurrent.TimeUnit.SECONDS));
    try (RaftClient raw = RaftClient.newBuilder().setRaftGroup(spec.group()).setProperties(properties)
        .setParameters(RatisProperties.tls(TlsMaterial.keyManager(files), TlsMaterial.trustManager(files.ca())))
        .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(3,
            TimeDuration.valueOf(100, java.util.concurrent.TimeUnit.MILLISECONDS)))
        .build()) {
      byte[] command = Command.newBuilder().setNowMs(System.currentTimeMillis())
          .setHeartbeat(HeartbeatRequest.newBuilder().setNodeId(nodeId).addRoles("worker")).build().toByteArray();
      return raw.io().send(Message.valueOf(org.apache.ratis.thirdparty.com.google.protobuf.ByteString.copyFrom(command)))
          .isSuccess();
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private double deniedCount(String method, String role) throws Exception {
    double total = 0;
    HttpClient http = HttpClient.newHttpClient();
    for (NodeConfig config : configs) {
      String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + config.httpPort() + "/metrics"))
          .build(), HttpResponse.BodyHandlers.ofString()).body();
      for (String line : body.split("\n")) {
        if (line.startsWith("ringrift_auth_denied_total{") && line.contains("method=\"" + method + "\"")
            && line.contains("role=\"" + role + "\"")) {
          total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
    }
    return total;
  }
}
