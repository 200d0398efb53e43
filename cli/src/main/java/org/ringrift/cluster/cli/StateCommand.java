package org.ringrift.cluster.cli;

import java.util.Map;
import org.ringrift.cluster.client.ClusterClient;
import org.ringrift.cluster.client.Endpoint;
import org.ringrift.cluster.client.views.Views;
import picocli.CommandLine.Command;

@Command(name = "state", footerHeading = "%nExamples:%n",
    footer = {"  rrctl state digest"},
     description = "Inspect the replicated state.", subcommands = {StateCommand.Digest.class})
final class StateCommand {
  @Command(name = "digest", footerHeading = "%nExamples:%n",
    footer = {"  for e in 127.0.0.1:9770 127.0.0.1:9771 127.0.0.1:9772; do rrctl --endpoint $e state digest; done"},
    
      description = "SHA-256 of the first reachable node's whole state, with the applied index it was taken at.")
  static final class Digest extends ClientCommand {
    @Override
    void run(ClusterClient client, Printer printer) {
      Endpoint answering = Answering.endpoint(client);
      printer.object(Views.digest(client.statusOf(answering).getNodeId(), client.digestOf(answering)));
    }
  }
}

/** Finds the endpoint of the first reachable node, for commands about one node's local state. */
final class Answering {
  private Answering() {}

  static Endpoint endpoint(ClusterClient client) {
    String nodeId = client.status().getNodeId();
    for (Endpoint endpoint : client.endpoints()) {
      try {
        if (client.statusOf(endpoint).getNodeId().equals(nodeId)) {
          return endpoint;
        }
      } catch (RuntimeException unreachable) {
        // try the next one
      }
    }
    throw new IllegalStateException("node " + nodeId + " answered but none of the endpoints is it");
  }

  static Map<String, Object> nodeView(String nodeId, String key, Object value) {
    Map<String, Object> view = new java.util.LinkedHashMap<>();
    view.put("node_id", nodeId);
    view.put(key, value);
    return view;
  }
}
