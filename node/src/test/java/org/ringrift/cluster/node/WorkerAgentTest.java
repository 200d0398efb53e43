package org.ringrift.cluster.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ringrift.cluster.client.ClusterClient;
import org.ringrift.cluster.proto.CancelRequest;
import org.ringrift.cluster.proto.EnqueueRequest;
import org.ringrift.cluster.proto.WorkItem;
import org.ringrift.cluster.proto.WorkState;
import org.ringrift.cluster.proto.WorkType;
import org.ringrift.cluster.raft.RaftSettings;

/** Worker agents on every node run real subprocesses for claimed items. */
class WorkerAgentTest {
  private static final Duration CONVERGE = Duration.ofSeconds(60);

  @TempDir Path dir;

  private static DaemonSettings workers() {
    return DaemonSettings.fast().withWorker(Map.of(
        WorkType.WORK_TYPE_SELFPLAY, List.of("/bin/sh", "-c", "cat; echo; echo done"),
        WorkType.WORK_TYPE_TRAINING, List.of("/bin/sh", "-c", "echo boom >&2; exit 3"),
        WorkType.WORK_TYPE_TOURNAMENT, List.of("/bin/sh", "-c", "echo $$ > pid; exec sleep 120")),
        2, Duration.ofSeconds(5));
  }

  @Test
  void itemsRunToCompletionFailuresRetryElsewhereAndCancelKillsTheProcess() throws Exception {
    try (LocalCluster cluster = new LocalCluster(dir, 3, RaftSettings.defaults(), workers())) {
      ClusterClient client = cluster.client();
      client.setConfig("queue.retry_backoff_base_ms", "0");

      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        ids.add(client.enqueue(EnqueueRequest.newBuilder().setType(WorkType.WORK_TYPE_SELFPLAY).setPriority(50)
            .setPayload(ByteString.copyFromUtf8("{\"game\":" + i + "}")).build()).getItem().getId());
      }
      await().atMost(CONVERGE).until(() -> ids.stream()
          .allMatch(id -> client.getItem(id).getState() == WorkState.WORK_STATE_COMPLETED));
      WorkItem done = client.getItem(ids.get(2));
      assertThat(done.getResult().toStringUtf8()).contains("{\"game\":2}", "done");

      WorkItem failing = client.enqueue(EnqueueRequest.newBuilder().setType(WorkType.WORK_TYPE_TRAINING)
          .setPriority(50).setMaxAttempts(2).build()).getItem();
      await().atMost(CONVERGE).until(() -> client.getItem(failing.getId()).getState() == WorkState.WORK_STATE_FAILED);
      WorkItem dead = client.getItem(failing.getId());
      assertThat(dead.getLastError()).isEqualTo("exit 3: boom\n");
      assertThat(dead.getAttempts()).isEqualTo(2);
      assertThat(dead.getExcludedNodesList()).hasSize(1).doesNotContain(dead.getClaimedNode());

      WorkItem longJob = client.enqueue(EnqueueRequest.newBuilder().setType(WorkType.WORK_TYPE_TOURNAMENT)
          .setPriority(50).build()).getItem();
      await().atMost(CONVERGE).until(() -> client.getItem(longJob.getId()).getState() == WorkState.WORK_STATE_RUNNING);
      await().atMost(CONVERGE).until(() -> pidOf(longJob.getId()).isPresent());
      long pid = pidOf(longJob.getId()).orElseThrow();
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true);

      client.cancel(CancelRequest.newBuilder().setItemId(longJob.getId()).setReason("test").build());
      await().atMost(CONVERGE).until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
    }
  }

  private Optional<Long> pidOf(String itemId) throws Exception {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.filter(p -> p.endsWith(Path.of("work", itemId, "pid"))).toList()) {
        String text = Files.readString(file, StandardCharsets.UTF_8).trim();
        if (!text.isEmpty()) {
          return Optional.of(Long.parseLong(text));
        }
      }
    }
    return Optional.empty();
  }
}
