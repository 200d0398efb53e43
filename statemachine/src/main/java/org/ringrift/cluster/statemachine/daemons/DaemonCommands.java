package org.ringrift.cluster.statemachine.daemons;

import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.charset.StandardCharsets;
import org.ringrift.cluster.contract.names.DaemonNames;
import org.ringrift.cluster.contract.names.EventTypes;
import org.ringrift.cluster.proto.DaemonDesired;
import org.ringrift.cluster.proto.ListDaemonDesiredResult;
import org.ringrift.cluster.proto.SetDaemonDesiredRequest;
import org.ringrift.cluster.statemachine.ApplyContext;
import org.ringrift.cluster.statemachine.Rejections;
import org.ringrift.cluster.statemachine.store.Batch;
import org.ringrift.cluster.statemachine.store.Family;

/** Cluster-wide desired state of daemons: a stopped daemon stays stopped across failovers. */
public final class DaemonCommands {
  public void check(SetDaemonDesiredRequest request) {
    if (!DaemonNames.ALL.contains(request.getName())) {
      throw Rejections.invalid("name", "unknown daemon '" + (request.getName().length() > 64
          ? request.getName().substring(0, 64) + "..." : request.getName()) + "'; one of " + DaemonNames.ALL);
    }
  }

  public DaemonDesired set(ApplyContext ctx, SetDaemonDesiredRequest request) {
    check(request);
    DaemonDesired desired = DaemonDesired.newBuilder().setName(request.getName()).setEnabled(request.getEnabled())
        .setChangedMs(ctx.nowMs()).build();
    ctx.batch().put(Family.DAEMONS, key(request.getName()), desired.toByteArray());
    ctx.events().append(request.getEnabled() ? EventTypes.DAEMON_ENABLED : EventTypes.DAEMON_DISABLED,
        request.getName(), request.getEnabled() ? "enabled cluster-wide" : "disabled cluster-wide");
    return desired;
  }

  /** Every known daemon; one never set is enabled. */
  public ListDaemonDesiredResult list(Batch view) {
    ListDaemonDesiredResult.Builder result = ListDaemonDesiredResult.newBuilder();
    for (String name : DaemonNames.ALL) {
      byte[] raw = view.get(Family.DAEMONS, key(name));
      result.addDaemons(raw == null ? DaemonDesired.newBuilder().setName(name).setEnabled(true).build() : decode(raw));
    }
    return result.build();
  }

  private static byte[] key(String name) {
    return name.getBytes(StandardCharsets.UTF_8);
  }

  private static DaemonDesired decode(byte[] raw) {
    try {
      return DaemonDesired.parseFrom(raw);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("corrupt daemon record in store", e);
    }
  }
}
