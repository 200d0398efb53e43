package org.ringrift.cluster.cli;

import java.util.concurrent.Callable;
import org.ringrift.cluster.client.ClusterClient;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Base of every leaf command: find the global options, connect, run, print. */
abstract class ClientCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public final Integer call() {
    GlobalOptions global = global();
    try (ClusterClient client = global.connect()) {
      run(client, new Printer(spec.commandLine().getOut(), global.json()));
    }
    return 0;
  }

  /** A status line for long operations; silent unless a person watches a terminal in table mode. */
  Progress progress() {
    return new Progress(spec.commandLine().getErr(), Progress.wanted(global().json(), System.console() != null));
  }

  abstract void run(ClusterClient client, Printer printer);

  /** --timeout: the bound of the whole call. */
  java.time.Duration timeout() {
    return global().timeout;
  }

  private GlobalOptions global() {
    Object root = spec.root().userObject();
    return ((Rrctl) root).global;
  }
}
