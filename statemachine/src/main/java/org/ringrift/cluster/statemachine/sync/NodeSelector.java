package org.ringrift.cluster.statemachine.sync;

import java.util.ArrayList;
import java.util.List;
import org.ringrift.cluster.proto.NodeRecord;
import org.ringrift.cluster.statemachine.Rejections;

/**
 * Which nodes a dataset kind goes to: {@code none}, {@code all}, or a comma list of
 * {@code role:R}, {@code capability:C}, {@code node:ID}; a node matches when any term does.
 */
public record NodeSelector(boolean all, List<Term> terms) {
  private static final int MAX_TERMS = 16;

  public record Term(String type, String value) {}

  public NodeSelector {
    terms = List.copyOf(terms);
  }

  /** Parses a selector; a bad one is rejected naming the field "value". */
  public static NodeSelector parse(String text) {
    String trimmed = text.trim();
    if (trimmed.equals("all")) {
      return new NodeSelector(true, List.of());
    }
    if (trimmed.equals("none")) {
      return new NodeSelector(false, List.of());
    }
    List<Term> terms = new ArrayList<>();
    for (String part : trimmed.split(",")) {
      String p = part.trim();
      int colon = p.indexOf(':');
      String type = colon < 0 ? "" : p.substring(0, colon);
      String value = colon < 0 ? "" : p.substring(colon + 1);
      if (!List.of("role", "capability", "node").contains(type) || !value.matches("[A-Za-z0-9_.-]{1,64}")) {
        throw Rejections.invalid("value", "'" + (p.length() > 64 ? p.substring(0, 64) + "..." : p)
            + "' is not a node selector term; use all, none, or a comma list of role:R, capability:C, node:ID");
      }
      terms.add(new Term(type, value));
    }
    if (terms.size() > MAX_TERMS) {
      throw Rejections.invalid("value", terms.size() + " selector terms is over the limit of " + MAX_TERMS);
    }
    return new NodeSelector(false, terms);
  }

  public boolean matches(NodeRecord node) {
    if (all) {
      return true;
    }
    for (Term term : terms) {
      boolean hit = switch (term.type()) {
        case "role" -> node.getRolesList().contains(term.value());
        case "capability" -> node.getCapabilitiesList().contains(term.value());
        default -> node.getNodeId().equals(term.value());
      };
      if (hit) {
        return true;
      }
    }
    return false;
  }
}
