package org.ringrift.cluster.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Help on every level has examples, the root help lists the exit codes, completion knows every command. */
class RrctlHelpTest {
  private static String run(String... args) {
    StringWriter out = new StringWriter();
    int code = Rrctl.run(args, new PrintWriter(out, true), new PrintWriter(new StringWriter(), true));
    assertThat(code).as(String.join(" ", args)).isZero();
    return out.toString();
  }

  @Test
  void everyCommandAndGroupHelpHasExamples() {
    List<String> without = new ArrayList<>();
    visit(Rrctl.commandLine(), without);
    assertThat(without).as("commands whose --help shows no Examples:").isEmpty();
  }

  private static void visit(CommandLine command, List<String> without) {
    if (!command.getCommandName().equals("help") && !command.getUsageMessage().contains("Examples:")) {
      without.add(command.getCommandSpec().qualifiedName());
    }
    new java.util.LinkedHashSet<>(command.getSubcommands().values()).forEach(sub -> visit(sub, without));
  }

  @Test
  void rootHelpListsEveryExitCode() {
    String help = run("--help");
    assertThat(help).contains("Exit codes:", "0  ok", "1  error", "2  bad input", "3  cluster unavailable",
        "4  not found", "5  rejected");
  }

  @Test
  void bashCompletionCoversEveryCommand() {
    String script = run("completion", "bash");
    for (String command : InProcessRrctl.runnableCommands()) {
      String leaf = command.substring(command.lastIndexOf(' ') + 1);
      assertThat(script).as(command).contains(leaf);
    }
    assertThat(script).contains("complete -F _complete_rrctl");
  }

  @Test
  void progressIsOnlyForPeopleAtATerminalInTableMode() {
    assertThat(Progress.wanted(false, true)).isTrue();
    assertThat(Progress.wanted(true, true)).isFalse();
    assertThat(Progress.wanted(false, false)).isFalse();
    StringWriter err = new StringWriter();
    Progress shown = new Progress(new PrintWriter(err, true), true);
    shown.update("redriven 100 of 300");
    shown.update("redriven 2");
    shown.done("done");
    assertThat(err.toString()).isEqualTo("\rredriven 100 of 300\rredriven 2         \rdone      " + System.lineSeparator());
    StringWriter quiet = new StringWriter();
    Progress hidden = new Progress(new PrintWriter(quiet, true), false);
    hidden.update("x");
    hidden.done("y");
    assertThat(quiet.toString()).isEmpty();
  }
}
