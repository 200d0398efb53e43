package org.ringrift.cluster.node;

import org.ringrift.cluster.proto.NodeStatus;

/** What the HTTP surface shows about this node: its status page and whether it is fit to serve. */
public interface StatusSource {
  NodeStatus status();

  StatusService.Readiness readiness();
}
