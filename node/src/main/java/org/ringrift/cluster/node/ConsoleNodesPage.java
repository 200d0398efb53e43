package org.ringrift.cluster.node;

import java.util.concurrent.CompletableFuture;
import org.ringrift.cluster.contract.views.Views;
import org.ringrift.cluster.node.admin.NodeRegistryAdmin;
import org.ringrift.cluster.proto.BlacklistNodeRequest;
import org.ringrift.cluster.proto.DrainNodeRequest;
import org.ringrift.cluster.proto.ListNodesRequest;
import org.ringrift.cluster.proto.UnblacklistNodeRequest;

/** The console's nodes page: the node registry, and blacklist, unblacklist and drain. */
final class ConsoleNodesPage {
  private final NodeRegistryAdmin nodes;

  ConsoleNodesPage(NodeRegistryAdmin nodes) {
    this.nodes = nodes;
  }

  CompletableFuture<ConsoleAnswer> list() {
    return ConsoleCalls.call(nodes::listNodes, ListNodesRequest.getDefaultInstance())
        .thenApply(r -> ConsoleAnswer.ok(Views.list("nodes", r.getNodesList(), Views::node)));
  }

  CompletableFuture<ConsoleAnswer> blacklist(ConsoleParams p) {
    return ConsoleCalls.call(nodes::blacklistNode, BlacklistNodeRequest.newBuilder().setNodeId(p.required("node"))
        .setDurationMs(p.longValue("duration_ms", 3_600_000))
        .setReason(p.optional("reason").orElse("blacklisted from the console")).build())
        .thenApply(r -> ConsoleAnswer.ok(Views.node(r.getNode())));
  }

  CompletableFuture<ConsoleAnswer> unblacklist(ConsoleParams p) {
    return ConsoleCalls.call(nodes::unblacklistNode, UnblacklistNodeRequest.newBuilder()
        .setNodeId(p.required("node")).build()).thenApply(r -> ConsoleAnswer.ok(Views.node(r.getNode())));
  }

  CompletableFuture<ConsoleAnswer> drain(ConsoleParams p) {
    return ConsoleCalls.call(nodes::drainNode, DrainNodeRequest.newBuilder().setNodeId(p.required("node"))
        .setDraining(p.bool("draining")).build()).thenApply(r -> ConsoleAnswer.ok(Views.node(r.getNode())));
  }
}
