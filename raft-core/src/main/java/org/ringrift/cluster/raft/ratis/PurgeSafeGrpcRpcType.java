package org.ringrift.cluster.raft.ratis;

import org.apache.ratis.conf.Parameters;
import org.apache.ratis.rpc.RpcFactory;
import org.apache.ratis.rpc.RpcType;

/**
 * The RPC type the Raft server is configured with. Ratis' only hook for a custom transport is the
 * {@code raft.rpc.type} key, which takes a class name that Ratis instantiates, hence a public
 * no-argument constructor and {@link #name()} returning the class name.
 */
public final class PurgeSafeGrpcRpcType implements RpcType {
  public PurgeSafeGrpcRpcType() {}

  @Override
  public String name() {
    return PurgeSafeGrpcRpcType.class.getName();
  }

  @Override
  public RpcFactory newFactory(Parameters parameters) {
    return new PurgeSafeGrpcFactory(parameters);
  }
}
