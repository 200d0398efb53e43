package org.ringrift.cluster.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dev cluster as a new user starts it, ./run, on ports of its own: a kill -9 of one node
 * leaves the other two running and ./run restarts it, saying so; and the demo dataset shows
 * data sync at work within a minute or so.
 */
class RunScriptIT {
  /** Admin 12770-12772, HTTP 11770-11772, Raft 12870-12872: beside a dev cluster on the defaults. */
  private static final int OFFSET = 3000;
  private static final Duration START = Duration.ofSeconds(120);

  @TempDir Path dir;

  @Test
  void killNineOfOneNodeKeepsTheOthersAndRestartsItAndTheDemoDatasetSyncs() throws Exception {
    Path output = dir.resolve("run.out");
    ProcessBuilder builder = new ProcessBuilder(ProcessCluster.REPO.resolve("run").toString())
        .directory(ProcessCluster.REPO.toFile()).redirectErrorStream(true).redirectOutput(output.toFile());
    builder.environment().put("RUN_DATA", dir.resolve("data").toString());
    builder.environment().put("RUN_PORT_OFFSET", Integer.toString(OFFSET));
    Process run = builder.start();
    List<Long> pids = List.of();
    try {
      // ./run prints "cluster ready" and, a few lines later, the pids: wait for both.
      Pattern pidsLine = Pattern.compile("\\(pids (\\d+) (\\d+) (\\d+)\\)");
      await().atMost(START).until(() -> pidsLine.matcher(read(output)).find() || !run.isAlive());
      String started = read(output);
      assertThat(started).contains("run: cluster ready");
      Matcher m = pidsLine.matcher(started);
      assertThat(m.find()).as(started).isTrue();
      pids = List.of(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)));

      ProcessHandle.of(pids.get(1)).orElseThrow().destroyForcibly();
      await().atMost(Duration.ofSeconds(30)).until(() -> read(output).contains("run: n2 restarted"));
      String restarted = read(output);
      assertThat(restarted).contains("run: n2 exited", "restarting it in 3 s");
      assertThat(run.isAlive()).isTrue();
      assertThat(ProcessHandle.of(pids.get(0)).map(ProcessHandle::isAlive)).contains(true);
      assertThat(ProcessHandle.of(pids.get(2)).map(ProcessHandle::isAlive)).contains(true);

      InProcessRrctl rrctl = new InProcessRrctl(List.of("--endpoint", "127.0.0.1:" + (9770 + OFFSET) + ",127.0.0.1:"
          + (9771 + OFFSET) + ",127.0.0.1:" + (9772 + OFFSET), "--timeout", "5s", "-o", "json"));
      await().atMost(START).until(() -> {
        InProcessRrctl.Result all = rrctl.run("status", "--all");
        if (all.exitCode() != 0) {
          return false;
        }
        JsonNode nodes = all.json();
        int reachable = 0;
        for (JsonNode node : nodes) {
          reachable += node.get("reachable").asBoolean() ? 1 : 0;
        }
        return reachable == 3;
      });

      // The demo dataset: files bin/demo-work writes on each node reach the others.
      await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofSeconds(2)).until(() -> {
        InProcessRrctl.Result history = rrctl.run("sync", "history", "--status", "done");
        return history.exitCode() == 0 && history.json().get("records").size() > 0;
      });
      JsonNode status = rrctl.run("sync", "status").json();
      assertThat(status.get("datasets").findValuesAsText("dataset")).contains("demo");
    } finally {
      run.destroy();
      boolean stopped = run.waitFor(60, TimeUnit.SECONDS);
      if (!stopped) {
        run.destroyForcibly();
      }
      for (long pid : pids) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
      }
      // Also a node ./run restarted (its pid is not among the first three).
      Matcher restartedPid = Pattern.compile("run: n2 restarted \\(pid (\\d+)\\)").matcher(read(output));
      while (restartedPid.find()) {
        ProcessHandle.of(Long.parseLong(restartedPid.group(1))).ifPresent(ProcessHandle::destroyForcibly);
      }
      assertThat(stopped).as("./run stops on SIGTERM: %s", read(output)).isTrue();
    }
  }

  private static String read(Path file) throws java.io.IOException {
    return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
  }
}
