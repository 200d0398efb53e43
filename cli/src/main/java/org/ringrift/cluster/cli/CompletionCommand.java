package org.ringrift.cluster.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Prints a shell completion script generated from the command tree, so it never lags behind it. */
@Command(name = "completion", description = "Print a completion script for bash (zsh can load it with bashcompinit).",
    footerHeading = "%nExamples:%n",
    footer = {"  source <(rrctl completion bash)                        # this shell",
        "  rrctl completion bash > /etc/bash_completion.d/rrctl    # every shell"})
final class CompletionCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "SHELL", description = "Only bash.")
  String shell;

  @Override
  public Integer call() {
    if (!shell.equals("bash")) {
      throw new IllegalArgumentException("SHELL '" + shell + "' is not supported: only bash");
    }
    spec.commandLine().getOut().print(AutoComplete.bash("rrctl", spec.root().commandLine()));
    spec.commandLine().getOut().flush();
    return 0;
  }
}
