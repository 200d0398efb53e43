package org.ringrift.cluster.node;

import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.ringrift.cluster.contract.views.Views;
import org.ringrift.cluster.node.auth.Authorization;
import org.ringrift.cluster.proto.AdminServiceGrpc;
import org.ringrift.cluster.proto.RecentEventsRequest;
import org.ringrift.cluster.proto.SyncHistoryRequest;

/**
 * The console's JSON API on the HTTP port. Every route names the admin RPC(s) it runs; the caller
 * must be allowed each of them by the admin API's own {@link Authorization}, and the route then
 * calls the same {@link AdminService} area method in-process, so checks, rejections and messages
 * are the admin API's. Writes are sent once; the answer (or the rejection) goes back to the page.
 * The pages' own work is in the {@code Console*Page} classes; this class routes and authorizes.
 */
final class ConsoleApi {
  private final String nodeId;
  private final AdminService admin;
  private final Optional<Authorization> authorization;
  private final ConsoleClusterPage clusterPage;
  private final ConsoleQueuePage queuePage;
  private final ConsoleNodesPage nodesPage;
  private final ConsoleDaemonsPage daemonsPage;

  /** {@code authorization} empty: a plaintext node, where the admin port authorizes nobody either. */
  ConsoleApi(String nodeId, AdminService admin, Optional<Authorization> authorization, PeerReads peers) {
    this.nodeId = nodeId;
    this.admin = admin;
    this.authorization = authorization;
    this.clusterPage = new ConsoleClusterPage(nodeId, admin.state(), admin.members(), peers);
    this.queuePage = new ConsoleQueuePage(admin.queue(), admin.events());
    this.nodesPage = new ConsoleNodesPage(admin.nodes());
    this.daemonsPage = new ConsoleDaemonsPage(nodeId, admin.daemons(), peers);
  }

  /** Answers {@code /api/...}; never throws (bad input and refusals are answers). */
  CompletableFuture<ConsoleAnswer> handle(boolean post, String path, Map<String, List<String>> params,
      ConsoleCaller caller) {
    try {
      CompletableFuture<ConsoleAnswer> answer = post ? write(path, new ConsoleParams(params), caller)
          : read(path, new ConsoleParams(params), caller);
      return answer.exceptionally(ConsoleAnswer::of);
    } catch (ConsoleParams.BadParam bad) {
      return CompletableFuture.completedFuture(ConsoleAnswer.badRequest(bad.getMessage()));
    } catch (Refused refused) {
      return CompletableFuture.completedFuture(ConsoleAnswer.of(refused.status.asRuntimeException()));
    }
  }

  /** The permission check the SSE event stream needs (WatchEvents). Empty: allowed. */
  Optional<ConsoleAnswer> refusal(MethodDescriptor<?, ?> method, ConsoleCaller caller) {
    try {
      allow(caller, method);
      return Optional.empty();
    } catch (Refused refused) {
      return Optional.of(ConsoleAnswer.of(refused.status.asRuntimeException()));
    }
  }

  private CompletableFuture<ConsoleAnswer> read(String path, ConsoleParams p, ConsoleCaller caller) {
    return switch (path) {
      case "/api/whoami" -> CompletableFuture.completedFuture(ConsoleAnswer.ok(whoami(caller)));
      case "/api/cluster" -> {
        allow(caller, AdminServiceGrpc.getStatusMethod(), AdminServiceGrpc.getListMembersMethod(),
            AdminServiceGrpc.getLeaderHistoryMethod(), AdminServiceGrpc.getGetDigestMethod());
        yield clusterPage.cluster();
      }
      case "/api/queue/stats" -> {
        allow(caller, AdminServiceGrpc.getGetQueueStatsMethod());
        yield queuePage.stats();
      }
      case "/api/queue/items" -> {
        allow(caller, AdminServiceGrpc.getListItemsMethod());
        yield queuePage.items(p);
      }
      case "/api/queue/item" -> {
        allow(caller, AdminServiceGrpc.getGetItemMethod(), AdminServiceGrpc.getRecentEventsMethod());
        yield queuePage.item(p.required("id"));
      }
      case "/api/nodes" -> {
        allow(caller, AdminServiceGrpc.getListNodesMethod());
        yield nodesPage.list();
      }
      case "/api/daemons" -> {
        allow(caller, AdminServiceGrpc.getListDaemonsMethod(), AdminServiceGrpc.getListDaemonDesiredMethod());
        yield daemonsPage.overview();
      }
      case "/api/events" -> {
        allow(caller, AdminServiceGrpc.getRecentEventsMethod());
        RecentEventsRequest.Builder request = RecentEventsRequest.newBuilder().setLimit(p.limit(100))
            .setAfterSeq(p.longValue("after", 0)).setType(p.optional("type").orElse(""));
        yield ConsoleCalls.call(admin.events()::recentEvents, request.build())
            .thenApply(r -> ConsoleAnswer.ok(Views.list("events", r.getEventsList(), Views::event)));
      }
      case "/api/sync" -> {
        allow(caller, AdminServiceGrpc.getSyncHistoryMethod());
        yield ConsoleCalls.call(admin.sync()::syncHistory, SyncHistoryRequest.newBuilder().setLimit(p.limit(50))
            .build()).thenApply(r -> ConsoleAnswer.ok(Views.list("records", r.getRecordsList(), Views::sync)));
      }
      default -> CompletableFuture.completedFuture(ConsoleAnswer.error(404, "NOT_FOUND", "no such API path: " + path));
    };
  }

  private CompletableFuture<ConsoleAnswer> write(String path, ConsoleParams p, ConsoleCaller caller) {
    return switch (path) {
      case "/api/queue/redrive" -> {
        allow(caller, AdminServiceGrpc.getRedriveMethod());
        yield queuePage.redrive(p);
      }
      case "/api/queue/cancel" -> {
        allow(caller, AdminServiceGrpc.getCancelMethod());
        yield queuePage.cancel(p);
      }
      case "/api/nodes/blacklist" -> {
        allow(caller, AdminServiceGrpc.getBlacklistNodeMethod());
        yield nodesPage.blacklist(p);
      }
      case "/api/nodes/unblacklist" -> {
        allow(caller, AdminServiceGrpc.getUnblacklistNodeMethod());
        yield nodesPage.unblacklist(p);
      }
      case "/api/nodes/drain" -> {
        allow(caller, AdminServiceGrpc.getDrainNodeMethod());
        yield nodesPage.drain(p);
      }
      case "/api/daemons/desired" -> {
        allow(caller, AdminServiceGrpc.getSetDaemonDesiredMethod());
        yield daemonsPage.setDesired(p);
      }
      case "/api/daemons/restart" -> {
        allow(caller, AdminServiceGrpc.getRestartDaemonMethod());
        yield daemonsPage.restart(p);
      }
      default -> CompletableFuture.completedFuture(ConsoleAnswer.error(404, "NOT_FOUND", "no such API action: " + path));
    };
  }

  private void allow(ConsoleCaller caller, MethodDescriptor<?, ?>... methods) {
    if (authorization.isEmpty()) {
      return;
    }
    for (MethodDescriptor<?, ?> method : methods) {
      Authorization.Decision decision = authorization.get().decide(caller.identity(), method.getFullMethodName(),
          method.getBareMethodName());
      if (!decision.allowed()) {
        Status status = decision.refusal().get();
        throw new Refused(caller.tlsNode() && !caller.https() ? status.withDescription(status.getDescription()
            + " (this node runs TLS: open the console over https:// with a client certificate)") : status);
      }
    }
  }

  private Map<String, Object> whoami(ConsoleCaller caller) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("node_id", nodeId);
    m.put("tls", caller.tlsNode());
    m.put("caller", caller.describe());
    m.put("role", caller.identity().map(i -> i.role().label()).orElse(caller.tlsNode() ? null : "any"));
    return m;
  }

  private static final class Refused extends RuntimeException {
    final Status status;

    Refused(Status status) {
      super(status.getDescription(), null, false, false);
      this.status = status;
    }
  }
}
