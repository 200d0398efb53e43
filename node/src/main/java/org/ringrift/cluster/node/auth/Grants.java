package org.ringrift.cluster.node.auth;

import java.util.EnumSet;
import java.util.Set;
import org.ringrift.cluster.contract.tls.CertRole;

/** Which permissions each certificate role holds. Operator roles nest: admin > operate > read. */
public final class Grants {
  private Grants() {}

  public static Set<Permission> of(CertRole role) {
    return switch (role) {
      case READ -> EnumSet.of(Permission.ANY, Permission.READ, Permission.QUEUE_READ);
      case OPERATE -> EnumSet.of(Permission.ANY, Permission.READ, Permission.QUEUE_READ, Permission.WORK,
          Permission.OPERATE);
      case ADMIN -> EnumSet.of(Permission.ANY, Permission.READ, Permission.QUEUE_READ, Permission.WORK,
          Permission.OPERATE, Permission.ADMIN);
      case WORKER -> EnumSet.of(Permission.ANY, Permission.QUEUE_READ, Permission.WORK);
      case NODE -> EnumSet.of(Permission.ANY, Permission.READ, Permission.QUEUE_READ, Permission.PEER);
    };
  }
}
