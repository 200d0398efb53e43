package org.ringrift.cluster.node.monitor;

import java.util.List;
import org.ringrift.cluster.daemons.DaemonStatus;
import org.ringrift.cluster.proto.QueueStats;

/** What the monitor saw at one moment: this node's queue counts (possibly stale) and daemons. */
record Sample(long nowMs, String leaderId, QueueStats queue, List<DaemonStatus> daemons) {}
