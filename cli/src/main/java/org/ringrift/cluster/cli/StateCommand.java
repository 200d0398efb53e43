package org.ringrift.cluster.cli;

import java.util.concurrent.Callable;
import org.ringrift.cluster.client.ClusterClient;
import org.ringrift.cluster.client.Endpoint;
import org.ringrift.cluster.client.views.Views;
import org.ringrift.cluster.proto.DigestResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "state", description = "Inspect the replicated state.",
    subcommands = {StateCommand.Digest.class})
final class StateCommand {
  @ParentCommand Rrctl root;

  @Command(name = "digest",
      description = "SHA-256 of the first reachable node's whole state, with the applied index it was taken at.")
  static final class Digest implements Callable<Integer> {
    @ParentCommand StateCommand state;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      try (ClusterClient client = state.root.global.connect()) {
        String nodeId = client.status().getNodeId();
        Endpoint answering = client.endpoints().stream()
            .filter(e -> client.statusOf(e).getNodeId().equals(nodeId)).findFirst().orElseThrow();
        DigestResult digest = client.digestOf(answering);
        new Printer(spec.commandLine().getOut(), state.root.global.json()).object(Views.digest(nodeId, digest));
      }
      return 0;
    }
  }
}
