package org.ringrift.cluster.node;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.ringrift.cluster.contract.views.Views;
import org.ringrift.cluster.node.admin.DaemonAdmin;
import org.ringrift.cluster.proto.ListDaemonDesiredRequest;
import org.ringrift.cluster.proto.ListDaemonsRequest;
import org.ringrift.cluster.proto.RestartDaemonRequest;
import org.ringrift.cluster.proto.SetDaemonDesiredRequest;

/**
 * The console's daemons page: every node's daemons (this one in-process, the others over gRPC),
 * the replicated desired state, and restart.
 */
final class ConsoleDaemonsPage {
  private final String nodeId;
  private final DaemonAdmin daemons;
  private final PeerReads peers;

  ConsoleDaemonsPage(String nodeId, DaemonAdmin daemons, PeerReads peers) {
    this.nodeId = nodeId;
    this.daemons = daemons;
    this.peers = peers;
  }

  CompletableFuture<ConsoleAnswer> overview() {
    CompletableFuture<Map<String, Object>> desired = ConsoleCalls.call(daemons::listDaemonDesired,
        ListDaemonDesiredRequest.getDefaultInstance())
        .thenApply(r -> Views.list("desired", r.getDaemonsList(), Views::desired));
    Map<String, String> addresses = new TreeMap<>(peers.addresses());
    addresses.remove(nodeId);
    List<CompletableFuture<Map<String, Object>>> perNode = new ArrayList<>();
    perNode.add(ConsoleCalls.call(daemons::listDaemons, ListDaemonsRequest.getDefaultInstance())
        .thenApply(Views::daemons));
    addresses.forEach((id, address) -> perNode.add(peers.daemons(address).thenApply(Views::daemons)
        .exceptionally(error -> {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("node_id", id);
          m.put("error", ((Map<?, ?>) ConsoleAnswer.of(error).body()).get("error"));
          m.put("daemons", List.of());
          return m;
        })));
    return CompletableFuture.allOf(perNode.toArray(CompletableFuture[]::new)).thenCombine(desired, (ignored, d) -> {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("node_id", nodeId);
      body.put("nodes", perNode.stream().map(CompletableFuture::join).toList());
      body.put("desired", d.get("desired"));
      return ConsoleAnswer.ok(body);
    });
  }

  CompletableFuture<ConsoleAnswer> setDesired(ConsoleParams p) {
    return ConsoleCalls.call(daemons::setDaemonDesired, SetDaemonDesiredRequest.newBuilder()
        .setName(p.required("name")).setEnabled(p.bool("enabled")).build())
        .thenApply(r -> ConsoleAnswer.ok(Views.desired(r)));
  }

  CompletableFuture<ConsoleAnswer> restart(ConsoleParams p) {
    return ConsoleCalls.call(daemons::restartDaemon, RestartDaemonRequest.newBuilder().setName(p.required("name"))
        .build()).thenApply(r -> ConsoleAnswer.ok(Views.daemon(r)));
  }
}
