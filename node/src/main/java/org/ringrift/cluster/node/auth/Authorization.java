package org.ringrift.cluster.node.auth;

import io.grpc.Status;
import java.util.Optional;
import java.util.Set;
import org.ringrift.cluster.contract.tls.CertIdentity;
import org.ringrift.cluster.contract.tls.CertRole;

/**
 * The one decision whether a caller may make an admin call: its certificate role must hold the
 * permission {@link AccessTable} lists for the method ({@link Grants}). The gRPC interceptor and
 * the console's HTTP API both ask here, so the page can never allow what the admin port refuses.
 */
public final class Authorization {
  private final AccessTable table;
  private final DeniedCalls denied;

  public Authorization(AccessTable table, DeniedCalls denied) {
    this.table = table;
    this.denied = denied;
  }

  /** Allowed, or refused with the gRPC status and a reason naming caller, role and method. */
  public record Decision(Optional<Permission> needed, Optional<Status> refusal) {
    public boolean allowed() {
      return refusal.isEmpty();
    }
  }

  /**
   * Decides and, when refusing, records the refusal (log line and the auth-denied counter).
   * {@code method} is the bare method name used in messages and metrics.
   */
  public Decision decide(Optional<CertIdentity> identity, String fullMethodName, String method) {
    if (identity.isEmpty()) {
      return refuse("unknown", "none", method, "no client certificate with a CN and a known OU role "
          + CertRole.labels(), Status.UNAUTHENTICATED, Optional.empty());
    }
    CertIdentity caller = identity.get();
    Optional<Permission> needed = table.permission(fullMethodName);
    if (needed.isEmpty()) {
      return refuse(caller.name(), caller.role().label(), method, "method is not in the access table",
          Status.PERMISSION_DENIED, needed);
    }
    Set<Permission> held = Grants.of(caller.role());
    if (!held.contains(needed.get())) {
      return refuse(caller.name(), caller.role().label(), method, "role " + caller.role().label()
          + " lacks permission " + needed.get(), Status.PERMISSION_DENIED, needed);
    }
    return new Decision(needed, Optional.empty());
  }

  private Decision refuse(String caller, String role, String method, String reason, Status status,
      Optional<Permission> needed) {
    denied.record(caller, role, method, reason);
    return new Decision(needed, Optional.of(status.withDescription(caller + " (" + role + ") may not call "
        + method + ": " + reason)));
  }
}
