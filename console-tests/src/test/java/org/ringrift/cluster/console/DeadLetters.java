package org.ringrift.cluster.console;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.ringrift.cluster.client.ClusterClient;
import org.ringrift.cluster.proto.ClaimRequest;
import org.ringrift.cluster.proto.EnqueueRequest;
import org.ringrift.cluster.proto.FailRequest;
import org.ringrift.cluster.proto.WorkItem;
import org.ringrift.cluster.proto.WorkType;

/** Makes dead letters: items enqueued for a worker no node runs, claimed and failed by the test. */
final class DeadLetters {
  static final String WORKER = "console-it-worker";

  private DeadLetters() {}

  static String make(ClusterClient client) {
    WorkItem enqueued = client.enqueue(EnqueueRequest.newBuilder().setType(WorkType.WORK_TYPE_VALIDATION)
        .setPayload(ByteString.copyFromUtf8("{\"console\": \"test\"}")).setMaxAttempts(1).setTargetNode(WORKER)
        .build()).getItem();
    WorkItem claimed = Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> client.claim(ClaimRequest
        .newBuilder().setWorkerId(WORKER).setNodeId(WORKER).addWorkTypes(WorkType.WORK_TYPE_VALIDATION).setMaxItems(10)
        .build()).getItemsList().stream().filter(i -> i.getId().equals(enqueued.getId())).findFirst(), Optional::isPresent)
        .orElseThrow();
    client.fail(FailRequest.newBuilder().setItemId(claimed.getId()).setToken(claimed.getLease())
        .setError("boom from the console test").setPermanent(true).build());
    return claimed.getId();
  }
}
