package org.ringrift.cluster.cli;

import java.io.PrintWriter;
import org.ringrift.cluster.client.ClusterException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code rrctl}: the operators' CLI over the admin gRPC API. */
@Command(name = "rrctl", mixinStandardHelpOptions = true, version = "rrctl 0.1.0",
    description = "Operates a RingRift cluster through any of its nodes.",
    subcommands = {StatusCommand.class, DoctorCommand.class, ClusterCommands.Members.class, ClusterCommands.Leader.class, QueueCommand.class, ClusterCommands.Nodes.class, ClusterCommands.Config.class,
        ClusterCommands.Events.class, ClusterCommands.Leaders.class, ClusterCommands.Sync.class,
        ClusterCommands.Daemons.class, ClusterCommands.Snapshot.class, UpgradeCommands.class, StateCommand.class, CertsCommand.class, CompletionCommand.class, CommandLine.HelpCommand.class},
    footerHeading = "%nExit codes:%n",
    footer = {
        "  0  ok",
        "  1  error (including a request the cluster found invalid)",
        "  2  usage: unknown command, bad flag or value",
        "  3  cluster unavailable or no leader within --timeout",
        "  4  not found",
        "  5  rejected: stale lease token, failed precondition, backpressure",
        "  6  permission denied: the certificate's role may not make this call (docs/SECURITY.md)",
        "",
        "Examples:",
        "  rrctl status",
        "  rrctl queue add --type selfplay --payload '{\"board\":\"hex8\"}' --priority 50",
        "  rrctl --output json queue claim --worker w1"})
public final class Rrctl implements Runnable {
  @Mixin GlobalOptions global;
  @Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
  }

  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(new Rrctl());
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      if (e instanceof DoctorCommand.DoctorFailed) {
        return 1;
      }
      if (e instanceof ClusterException failure) {
        commandLine.getErr().println("rrctl: " + failure.getMessage());
        return failure.kind().exitCode();
      }
      if (e instanceof IllegalArgumentException) {
        commandLine.getErr().println("rrctl: " + e.getMessage());
        return 2;
      }
      commandLine.getErr().println("rrctl: " + e);
      return 1;
    });
    return cli.execute(args);
  }

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    System.exit(run(args, out, err));
  }
}
