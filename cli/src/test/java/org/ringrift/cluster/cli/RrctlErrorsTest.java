package org.ringrift.cluster.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a new user meets without a cluster, or with a wrong one: help on every command, one clear
 * error line, bounded --all calls, the right exit code. rrctl runs in this JVM against loopback.
 */
class RrctlErrorsTest {
  private static InProcessRrctl.Result run(String... args) {
    return new InProcessRrctl(List.of()).run(args);
  }

  @Test
  void everyCommandAndGroupTakesHelp() {
    List<String> refused = new ArrayList<>();
    for (String command : InProcessRrctl.allCommands()) {
      for (String flag : List.of("--help", "-h")) {
        List<String> args = new ArrayList<>(List.of(command.split(" ")));
        args.add(flag);
        InProcessRrctl.Result help = run(args.toArray(String[]::new));
        if (help.exitCode() != 0 || !help.out().contains("Usage: rrctl " + command)) {
          refused.add(command + " " + flag + " -> " + help.exitCode() + " " + help.err());
        }
      }
    }
    assertThat(refused).isEmpty();
    // A command with required options shows its help, not "Missing required option".
    assertThat(run("queue", "claim", "--help").out()).contains("--worker");
  }

  @Test
  void aBadValueIsOneLineNamingTheOptionNotTheWholeHelp() {
    InProcessRrctl.Result yaml = run("-o", "yaml", "status");
    assertThat(yaml.exitCode()).isEqualTo(2);
    assertThat(yaml.err().lines().count()).as(yaml.err()).isEqualTo(1);
    assertThat(yaml.err()).contains("--output", "yaml", "table, json");
    assertThat(yaml.out()).isEmpty();
    InProcessRrctl.Result unknown = run("status", "--bogus");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err().lines().count()).as(unknown.err()).isEqualTo(1);
  }

  @Test
  void payloadAndResultMustBeJsonAndBadInputIsExitTwoBeforeAnyCall() throws IOException {
    String nobody = "127.0.0.1:" + freePort();
    InProcessRrctl.Result payload = run("--endpoint", nobody, "queue", "add", "--type", "selfplay", "--payload",
        "not json");
    assertThat(payload.exitCode()).isEqualTo(2);
    assertThat(payload.err()).startsWith("rrctl: --payload is not valid JSON");
    assertThat(run("--endpoint", nobody, "queue", "complete", "w-1", "--token", "3.4", "--result", "{").exitCode())
        .isEqualTo(2);
    assertThat(run("--endpoint", nobody, "queue", "complete", "w-1", "--token", "abc").exitCode()).isEqualTo(2);
  }

  @Test
  void aPortAnsweringInHttp1IsNamedAsNotAnAdminPort() throws Exception {
    // What a node's HTTP port (netty's HTTP/1.1 codec) answers to gRPC's HTTP/2 preface.
    try (ServerSocket http = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      Thread server = new Thread(() -> {
        while (!http.isClosed()) {
          try (java.net.Socket socket = http.accept()) {
            socket.getOutputStream().write("HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n"
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            // Like netty's HTTP server: the connection stays open until the client closes it.
            socket.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
          } catch (IOException closed) {
            return;
          }
        }
      });
      server.setDaemon(true);
      server.start();
      InProcessRrctl.Result status = run("--endpoint", "127.0.0.1:" + http.getLocalPort(), "--timeout", "3s",
          "status");
      assertThat(status.exitCode()).isEqualTo(3);
      assertThat(status.err()).contains("not an admin port").doesNotContain("http2 exception");
      assertThat(status.err().lines().count()).as(status.err()).isEqualTo(1);
    }
  }

  @Test
  void allCommandsWithEveryNodeDownEndWithinOneTimeoutAndExitThree() throws IOException {
    String endpoints = "127.0.0.1:" + freePort() + ",127.0.0.1:" + freePort() + ",127.0.0.1:" + freePort();
    for (List<String> command : List.of(List.of("status", "--all"), List.of("daemons", "ls", "--all"),
        List.of("queue", "stats", "--all"), List.of("doctor"))) {
      List<String> args = new ArrayList<>(List.of("--endpoint", endpoints, "--timeout", "1s", "-o", "json"));
      args.addAll(command);
      long started = System.nanoTime();
      InProcessRrctl.Result result = run(args.toArray(String[]::new));
      long tookMs = (System.nanoTime() - started) / 1_000_000;
      assertThat(result.exitCode()).as("%s: %s", command, result.err()).isEqualTo(3);
      // Each endpoint waits out its 1 s at the same time: one timeout in all, not one per endpoint.
      assertThat(tookMs).as("%s took %d ms", command, tookMs).isLessThan(2_500);
      assertThat(result.err()).contains("none of the 3 endpoints answered within 1000 ms");
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
