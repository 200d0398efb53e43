package org.ringrift.cluster.client;

import org.ringrift.cluster.contract.Endpoint;

import java.util.List;
import org.ringrift.cluster.proto.ConfigEntry;
import org.ringrift.cluster.proto.DaemonDesired;
import org.ringrift.cluster.proto.DaemonInfo;
import org.ringrift.cluster.proto.FeatureLevelResult;
import org.ringrift.cluster.proto.FeatureLevelStatus;
import org.ringrift.cluster.proto.GetConfigRequest;
import org.ringrift.cluster.proto.GetFeatureLevelRequest;
import org.ringrift.cluster.proto.ListDaemonDesiredRequest;
import org.ringrift.cluster.proto.ListDaemonsRequest;
import org.ringrift.cluster.proto.ListDaemonsResult;
import org.ringrift.cluster.proto.ListSessionsRequest;
import org.ringrift.cluster.proto.ListSessionsResult;
import org.ringrift.cluster.proto.RestartDaemonRequest;
import org.ringrift.cluster.proto.SetConfigRequest;
import org.ringrift.cluster.proto.SetDaemonDesiredRequest;
import org.ringrift.cluster.proto.SetFeatureLevelRequest;

/** The calls that steer the cluster: runtime config, daemons, the feature level, and the open sessions. */
final class ControlCalls {
  private final LeaderCalls calls;
  private final SessionWrites writes;

  ControlCalls(LeaderCalls calls, SessionWrites writes) {
    this.calls = calls;
    this.writes = writes;
  }

  List<ConfigEntry> getConfig(String key) {
    return calls.read(stub -> stub.getConfig(GetConfigRequest.newBuilder().setKey(key).build())).getEntriesList();
  }

  ConfigEntry setConfig(String key, String value) {
    return writes.write(stub -> stub.setConfig(SetConfigRequest.newBuilder().setKey(key).setValue(value).build()));
  }

  List<DaemonDesired> listDaemonDesired() {
    return calls.read(stub -> stub.listDaemonDesired(ListDaemonDesiredRequest.getDefaultInstance())).getDaemonsList();
  }

  DaemonDesired setDaemonDesired(String name, boolean enabled) {
    return writes.write(stub -> stub.setDaemonDesired(
        SetDaemonDesiredRequest.newBuilder().setName(name).setEnabled(enabled).build()));
  }

  /** One node's daemons as that node sees them. */
  ListDaemonsResult listDaemons(Endpoint endpoint) {
    return calls.callOne(endpoint, stub -> stub.listDaemons(ListDaemonsRequest.getDefaultInstance()));
  }

  DaemonInfo restartDaemon(Endpoint endpoint, String name) {
    return calls.callOne(endpoint, stub -> stub.restartDaemon(RestartDaemonRequest.newBuilder().setName(name).build()));
  }

  /** The replicated feature level and what every member's binary supports. */
  FeatureLevelStatus featureLevel() {
    return calls.read(stub -> stub.getFeatureLevel(GetFeatureLevelRequest.getDefaultInstance()));
  }

  /** Moves the feature level; refused (FAILED_PRECONDITION) naming every member that does not support it. */
  FeatureLevelResult setFeatureLevel(int level) {
    return writes.write(stub -> stub.setFeatureLevel(SetFeatureLevelRequest.newBuilder().setLevel(level).build()));
  }

  /** The open client sessions (first {@code limit} by id) and the session counters: a linearizable read. */
  ListSessionsResult listSessions(int limit) {
    return calls.read(stub -> stub.listSessions(ListSessionsRequest.newBuilder().setLimit(limit).build()));
  }
}
