package org.ringrift.cluster.cli;

import java.util.concurrent.Callable;
import org.ringrift.cluster.client.ClusterClient;
import org.ringrift.cluster.client.views.Views;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "status", description = "The answering node's view: leader, term, role, indexes, peers.")
final class StatusCommand implements Callable<Integer> {
  @ParentCommand Rrctl root;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    try (ClusterClient client = root.global.connect()) {
      new Printer(spec.commandLine().getOut(), root.global.json()).object(Views.status(client.status()));
    }
    return 0;
  }
}
