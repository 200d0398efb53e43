package org.ringrift.cluster.daemons;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Start order of daemons: dependencies first. A cycle or an unknown dependency is a startup error. */
final class DaemonGraph {
  private DaemonGraph() {}

  static List<DaemonSpec> startOrder(List<DaemonSpec> specs) {
    Map<String, DaemonSpec> byName = new LinkedHashMap<>();
    for (DaemonSpec spec : specs) {
      if (byName.put(spec.name(), spec) != null) {
        throw new IllegalArgumentException("daemon " + spec.name() + " is registered twice");
      }
    }
    for (DaemonSpec spec : specs) {
      for (String dependency : spec.dependsOn()) {
        if (!byName.containsKey(dependency)) {
          throw new IllegalArgumentException("daemon " + spec.name() + " depends on unknown daemon " + dependency);
        }
      }
    }
    List<DaemonSpec> order = new ArrayList<>();
    Map<String, Mark> marks = new HashMap<>();
    for (DaemonSpec spec : specs) {
      visit(spec, byName, marks, new ArrayList<>(), order);
    }
    return order;
  }

  private enum Mark { VISITING, DONE }

  private static void visit(DaemonSpec spec, Map<String, DaemonSpec> byName, Map<String, Mark> marks,
      List<String> path, List<DaemonSpec> order) {
    Mark mark = marks.get(spec.name());
    if (mark == Mark.DONE) {
      return;
    }
    path.add(spec.name());
    if (mark == Mark.VISITING) {
      List<String> cycle = path.subList(path.indexOf(spec.name()), path.size());
      throw new IllegalArgumentException("daemon dependency cycle: " + String.join(" -> ", cycle));
    }
    marks.put(spec.name(), Mark.VISITING);
    for (String dependency : spec.dependsOn()) {
      visit(byName.get(dependency), byName, marks, path, order);
    }
    marks.put(spec.name(), Mark.DONE);
    path.remove(path.size() - 1);
    order.add(spec);
  }
}
