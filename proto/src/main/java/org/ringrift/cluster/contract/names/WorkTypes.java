package org.ringrift.cluster.contract.names;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.ringrift.cluster.proto.WorkType;

/** Operator-facing names of work types ("selfplay", "gpu_cmaes", ...), as rrctl and config keys spell them. */
public final class WorkTypes {
  private static final String PREFIX = "WORK_TYPE_";

  private WorkTypes() {}

  /** Every real work type, in enum order. */
  public static List<WorkType> all() {
    List<WorkType> types = new ArrayList<>();
    for (WorkType type : WorkType.values()) {
      if (type != WorkType.WORK_TYPE_UNSPECIFIED && type != WorkType.UNRECOGNIZED) {
        types.add(type);
      }
    }
    return types;
  }

  public static String name(WorkType type) {
    return type.name().substring(PREFIX.length()).toLowerCase(Locale.ROOT);
  }

  public static Optional<WorkType> parse(String name) {
    for (WorkType type : all()) {
      if (name(type).equals(name)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }

  public static String names() {
    return String.join(", ", all().stream().map(WorkTypes::name).toList());
  }
}
