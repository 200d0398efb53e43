package org.ringrift.cluster.bench.load;

import java.util.List;
import java.util.Optional;
import org.ringrift.cluster.contract.Endpoint;

/** The member processes of a cluster rrbench started (rrnode JVMs or etcd members), by index. */
interface ProcessGroup {
  int size();

  /** The member's name in reports: n1.. for RingRift, e1.. for etcd. */
  String id(int i);

  /** The members' client endpoints, in member order. */
  List<Endpoint> endpoints();

  /** Member i's process while it runs. */
  Optional<ProcessHandle> handle(int i);
}
