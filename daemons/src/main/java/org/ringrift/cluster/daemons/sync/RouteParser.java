package org.ringrift.cluster.daemons.sync;

import java.util.function.Predicate;
import org.ringrift.cluster.proto.NodeRecord;

/**
 * Turns a dataset kind's route (config {@code sync.route.KIND}) into the nodes it selects. The
 * route's syntax belongs to the state machine, which validates it when it is written; the
 * planner only needs the match, so the node hands it the state machine's parser.
 */
@FunctionalInterface
public interface RouteParser {
  Predicate<NodeRecord> parse(String route);
}
