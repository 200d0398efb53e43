package org.ringrift.cluster.node.admin;

import static io.grpc.stub.ServerCalls.asyncUnaryCall;

import io.grpc.ServerServiceDefinition;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.ringrift.cluster.contract.errors.ErrorKind;
import org.ringrift.cluster.contract.errors.Rejections;
import org.ringrift.cluster.proto.AdminServiceGrpc;
import org.ringrift.cluster.proto.Command;
import org.ringrift.cluster.proto.CommandResult;
import org.ringrift.cluster.proto.FeatureLevelResult;
import org.ringrift.cluster.proto.FeatureLevelStatus;
import org.ringrift.cluster.proto.GetFeatureLevelRequest;
import org.ringrift.cluster.proto.ListNodesRequest;
import org.ringrift.cluster.proto.Query;
import org.ringrift.cluster.proto.SetFeatureLevelRequest;
import org.ringrift.cluster.raft.RaftNode;
import org.ringrift.cluster.statemachine.Rejections.RejectedException;
import org.ringrift.cluster.statemachine.features.BuildVersion;
import org.ringrift.cluster.statemachine.features.FeatureCommands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The replicated feature level (rolling upgrades): what every member supports, and moving the level. */
public final class FeatureLevelAdmin implements AdminArea {
  private static final Logger LOG = LoggerFactory.getLogger(FeatureLevelAdmin.class);

  static final Query FEATURE_LEVEL = Query.newBuilder()
      .setGetFeatureLevel(GetFeatureLevelRequest.getDefaultInstance()).build();
  private static final Query NODES = Query.newBuilder().setListNodes(ListNodesRequest.getDefaultInstance()).build();

  private final RaftNode raft;
  private final AdminCalls calls;

  public FeatureLevelAdmin(RaftNode raft, AdminCalls calls) {
    this.raft = raft;
    this.calls = calls;
  }

  @Override
  public void bind(ServerServiceDefinition.Builder service) {
    service.addMethod(AdminServiceGrpc.getGetFeatureLevelMethod(), asyncUnaryCall(this::getFeatureLevel))
        .addMethod(AdminServiceGrpc.getSetFeatureLevelMethod(), asyncUnaryCall(this::setFeatureLevel));
  }

  public void getFeatureLevel(GetFeatureLevelRequest request, StreamObserver<FeatureLevelStatus> response) {
    AdminCalls.reply(response, featureStatus(), status -> status);
  }

  /**
   * Moves the feature level only when every voter and listener reports a binary that supports the
   * target; lowering past a level already used is refused by apply (deterministically).
   */
  public void setFeatureLevel(SetFeatureLevelRequest request, StreamObserver<FeatureLevelResult> response) {
    try {
      FeatureCommands.check(request);
    } catch (RejectedException rejected) {
      response.onError(Rejections.toStatus(rejected.rejection()));
      return;
    }
    if (calls.refusesWrites(response)) {
      return;
    }
    AdminCalls.reply(response, featureStatus().thenCompose(status -> {
      List<String> missing = FeatureLevelCheck.unsupporting(status, request.getLevel());
      if (!missing.isEmpty()) {
        throw Rejections.notProposed(ErrorKind.FAILED_PRECONDITION, "level: cannot set the feature level to "
            + request.getLevel() + " (now " + status.getLevel().getLevel() + "): " + String.join(", ", missing)
            + (missing.size() == 1 ? " does" : " do") + " not support it; upgrade "
            + (missing.size() == 1 ? "it" : "them") + " first (rrctl cluster feature-level)");
      }
      LOG.info("feature level change proposed node={} from={} to={}", raft.id(), status.getLevel().getLevel(),
          request.getLevel());
      return calls.replicated().submit(calls.withSession(Command.newBuilder().setSetFeatureLevel(request)));
    }), AdminCalls.accepted(CommandResult::getFeatureLevel));
  }

  /** The replicated level and what every member reported, both linearizable reads. */
  private CompletableFuture<FeatureLevelStatus> featureStatus() {
    return calls.replicated().read(FEATURE_LEVEL).thenCombine(calls.replicated().read(NODES), (level, nodes) -> {
      if (level.hasRejected()) {
        throw Rejections.toStatus(level.getRejected());
      }
      return FeatureLevelCheck.status(level.getFeatureLevel(), raft.members(), nodes.getListNodes().getNodesList(),
          BuildVersion.version(), raft.features());
    });
  }
}
