package org.ringrift.cluster.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ringrift.cluster.contract.views.Json;

/** Prints a view as one JSON object, or as an aligned table for people. */
final class Printer {
  private final PrintWriter out;
  private final boolean json;

  Printer(PrintWriter out, boolean json) {
    this.out = out;
    this.json = json;
  }

  boolean isJson() {
    return json;
  }

  /** One object: JSON, or "key  value" lines. */
  void object(Map<String, Object> view) {
    if (json) {
      out.println(Json.write(view));
    } else {
      int width = view.keySet().stream().mapToInt(k -> Cells.header(k).length()).max().orElse(0);
      view.forEach((key, value) -> out.printf("%-" + width + "s  %s%n", Cells.header(key).toLowerCase(java.util.Locale.ROOT),
          Cells.text(key, value)));
    }
    out.flush();
  }

  /** An empty line between two tables of a table-mode answer. */
  void blankLine() {
    out.println();
    out.flush();
  }

  /** One record of a stream: a JSON object per line, or its values on one line. */
  void line(Map<String, Object> view) {
    if (json) {
      out.println(Json.write(view));
    } else {
      out.println(String.join("  ", view.entrySet().stream().map(e -> Cells.text(e.getKey(), e.getValue())).toList()));
    }
    out.flush();
  }

  /** The answer of an --all command: JSON, a list of objects (each with node_id); a table, one row each. */
  void perNode(List<Map<String, Object>> rows, List<String> columns) {
    if (json) {
      out.println(Json.write(rows));
      out.flush();
      return;
    }
    rows(Map.of("rows", rows), "rows", columns);
  }

  /** A list of rows under {@code listKey}: JSON as given, or a table of the named columns. */
  @SuppressWarnings("unchecked")
  void rows(Map<String, Object> view, String listKey, List<String> columns) {
    if (json) {
      object(view);
      return;
    }
    List<Map<String, Object>> rows = (List<Map<String, Object>>) view.get(listKey);
    List<List<String>> cells = new ArrayList<>();
    cells.add(columns.stream().map(Cells::header).toList());
    for (Map<String, Object> row : rows) {
      cells.add(columns.stream().map(c -> Cells.text(c, row.get(c))).toList());
    }
    int[] widths = new int[columns.size()];
    for (List<String> line : cells) {
      for (int i = 0; i < line.size(); i++) {
        widths[i] = Math.max(widths[i], line.get(i).length());
      }
    }
    for (List<String> line : cells) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < line.size(); i++) {
        sb.append(i == line.size() - 1 ? line.get(i) : String.format("%-" + widths[i] + "s  ", line.get(i)));
      }
      out.println(sb.toString().stripTrailing());
    }
    if (rows.isEmpty()) {
      out.println("(none)");
    }
    out.flush();
  }
}
