package org.ringrift.cluster.statemachine.queue;

import java.util.Locale;
import org.ringrift.cluster.proto.WorkState;

/** Operator-facing names of item states ("pending", "claimed", ...). */
public final class WorkStates {
  private static final String PREFIX = "WORK_STATE_";

  private WorkStates() {}

  public static String name(WorkState state) {
    if (state == WorkState.UNRECOGNIZED) {
      return "unknown";
    }
    return state.name().substring(PREFIX.length()).toLowerCase(Locale.ROOT);
  }
}
