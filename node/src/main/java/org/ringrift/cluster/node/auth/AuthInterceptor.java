package org.ringrift.cluster.node.auth;

import io.grpc.ForwardingServerCallListener;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.ringrift.cluster.contract.tls.CertIdentity;
import org.ringrift.cluster.contract.tls.CertRole;

/**
 * Authorizes every call on the admin port by the caller's certificate: the role must hold the
 * method's permission ({@link AccessTable}); a worker's work calls are further limited to its own
 * node and leases ({@link WorkerScope}). Installed only when the node runs TLS.
 */
public final class AuthInterceptor implements ServerInterceptor {
  private final Authorization authorization;
  private final WorkerScope workers;
  private final DeniedCalls denied;

  public AuthInterceptor(AccessTable table, WorkerScope workers, DeniedCalls denied) {
    this(new Authorization(table, denied), workers, denied);
  }

  public AuthInterceptor(Authorization authorization, WorkerScope workers, DeniedCalls denied) {
    this.authorization = authorization;
    this.workers = workers;
    this.denied = denied;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    String fullName = call.getMethodDescriptor().getFullMethodName();
    String method = Optional.ofNullable(call.getMethodDescriptor().getBareMethodName()).orElse(fullName);
    Optional<CertIdentity> identity = identity(call);
    Authorization.Decision decision = authorization.decide(identity, fullName, method);
    if (!decision.allowed()) {
      call.close(decision.refusal().get(), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    CertIdentity caller = identity.get();
    Permission needed = decision.needed().orElseThrow();
    ServerCall.Listener<Q> listener = next.startCall(call, headers);
    if (caller.role() != CertRole.WORKER || needed != Permission.WORK) {
      return listener;
    }
    return new WorkerListener<>(listener, call, caller.name(), method);
  }

  /** Checks each request of a worker's work call before the service sees it. */
  private final class WorkerListener<Q, R> extends ForwardingServerCallListener.SimpleForwardingServerCallListener<Q> {
    private final ServerCall<Q, R> call;
    private final String worker;
    private final String method;
    private boolean refused;

    WorkerListener(ServerCall.Listener<Q> delegate, ServerCall<Q, R> call, String worker, String method) {
      super(delegate);
      this.call = call;
      this.worker = worker;
      this.method = method;
    }

    @Override
    public void onMessage(Q message) {
      if (refused) {
        return;
      }
      Optional<String> refusal;
      try {
        refusal = workers.refusal(worker, message);
      } catch (Exception e) {
        refused = true;
        // Nothing was proposed: the worker's client may ask another node.
        io.grpc.StatusRuntimeException unavailable = org.ringrift.cluster.contract.errors.Rejections.notProposed(
            org.ringrift.cluster.contract.errors.ErrorKind.UNAVAILABLE, "cannot check the lease holder: " + e.getMessage());
        call.close(unavailable.getStatus(), unavailable.getTrailers());
        return;
      }
      if (refusal.isPresent()) {
        refused = true;
        denied.record(worker, CertRole.WORKER.label(), method, refusal.get());
        call.close(Status.PERMISSION_DENIED.withDescription("worker " + worker + " may not call " + method + ": "
            + refusal.get()), new Metadata());
        return;
      }
      super.onMessage(message);
    }

    @Override
    public void onHalfClose() {
      if (!refused) {
        super.onHalfClose();
      }
    }
  }

  private static Optional<CertIdentity> identity(ServerCall<?, ?> call) {
    SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
    if (session == null) {
      return Optional.empty();
    }
    try {
      Certificate[] chain = session.getPeerCertificates();
      return chain.length > 0 && chain[0] instanceof X509Certificate leaf ? CertIdentity.of(leaf) : Optional.empty();
    } catch (SSLPeerUnverifiedException e) {
      return Optional.empty();
    }
  }
}
