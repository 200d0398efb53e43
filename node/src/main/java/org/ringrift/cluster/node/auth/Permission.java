package org.ringrift.cluster.node.auth;

/** What one admin or peer RPC needs; {@link Grants} says which certificate roles hold it. */
public enum Permission {
  /** Health checks and server reflection: any certificate the cluster CA signed. */
  ANY,
  /** Status, lists, history, watch. */
  READ,
  /** The reads a worker needs besides its own work: an item, queue stats, desired daemon states. */
  QUEUE_READ,
  /** Claim, extend, start, complete, fail, release, heartbeat; workers only for their own node and leases. */
  WORK,
  /** Queue and daemon commands: enqueue, cancel, redrive, node blacklist and drain, daemon start/stop, sync trigger. */
  OPERATE,
  /** Membership, config, snapshots, leader transfer. */
  ADMIN,
  /** Node-to-node calls (sync chunk streams). */
  PEER
}
