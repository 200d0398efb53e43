package org.ringrift.cluster.daemons;

import org.ringrift.cluster.proto.Query;
import org.ringrift.cluster.proto.QueryResult;

/**
 * Reads of this node's own copy of the replicated state: no leader involved, so they work on
 * followers and while there is none. Only a Raft member has one.
 */
public interface LocalState {
  /** Throws {@link ClusterUnavailableException} while the state cannot be read (a snapshot being installed). */
  QueryResult readLocal(Query query) throws Exception;
}
