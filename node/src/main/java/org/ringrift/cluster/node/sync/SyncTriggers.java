package org.ringrift.cluster.node.sync;

import org.ringrift.cluster.client.ErrorKind;
import org.ringrift.cluster.client.Rejections;
import org.ringrift.cluster.contract.names.EventTypes;
import org.ringrift.cluster.proto.Command;
import org.ringrift.cluster.proto.ListNodesRequest;
import org.ringrift.cluster.proto.NodeRecord;
import org.ringrift.cluster.proto.PublishEventRequest;
import org.ringrift.cluster.proto.Query;
import org.ringrift.cluster.proto.QueryResult;
import org.ringrift.cluster.proto.SyncTriggerRequest;
import org.ringrift.cluster.statemachine.nodes.NodeCommands;
import org.ringrift.cluster.statemachine.sync.ManifestChecks;

/** rrctl sync trigger: checks the dataset and target against the nodes' declarations, then records the trigger. */
public final class SyncTriggers {
  private SyncTriggers() {}

  public static Query nodesQuery() {
    return Query.newBuilder().setListNodes(ListNodesRequest.getDefaultInstance()).build();
  }

  /** The PublishEvent command, or a gRPC error naming the field (INVALID_ARGUMENT, NOT_FOUND, FAILED_PRECONDITION). */
  public static Command.Builder command(SyncTriggerRequest request, QueryResult nodes) {
    try {
      ManifestChecks.datasetName("dataset", request.getDataset());
      if (!request.getTargetNode().isEmpty()) {
        NodeCommands.nodeId("target_node", request.getTargetNode());
      }
    } catch (org.ringrift.cluster.statemachine.Rejections.RejectedException e) {
      throw Rejections.toStatus(e.rejection());
    }
    boolean declared = false;
    NodeRecord target = null;
    for (NodeRecord node : nodes.getListNodes().getNodesList()) {
      declared |= node.getDatasetsList().stream().anyMatch(d -> d.getName().equals(request.getDataset()));
      if (node.getNodeId().equals(request.getTargetNode())) {
        target = node;
      }
    }
    if (!declared) {
      throw Rejections.toStatus(ErrorKind.NOT_FOUND, "dataset: no node declares dataset '" + request.getDataset() + "'");
    }
    if (!request.getTargetNode().isEmpty()) {
      if (target == null) {
        throw Rejections.toStatus(ErrorKind.NOT_FOUND, "target_node: no node " + request.getTargetNode());
      }
      if (target.getDatasetsList().stream().noneMatch(d -> d.getName().equals(request.getDataset()))) {
        throw Rejections.toStatus(ErrorKind.FAILED_PRECONDITION, "target_node: " + request.getTargetNode()
            + " does not declare dataset '" + request.getDataset() + "' (rrnode --dataset), so it has nowhere to put it");
      }
    }
    return Command.newBuilder().setPublishEvent(PublishEventRequest.newBuilder().setType(EventTypes.SYNC_TRIGGERED)
        .setSubject(request.getDataset()).setMessage(request.getTargetNode()));
  }
}
