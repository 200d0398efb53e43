package org.ringrift.cluster.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Set;
import org.ringrift.cluster.client.ClusterException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code rrctl}: the operators' CLI over the admin gRPC API. */
@Command(name = "rrctl", mixinStandardHelpOptions = true, version = "rrctl 0.1.0",
    description = "Operates a RingRift cluster through any of its nodes.",
    footerHeading = "%nExit codes:%n",
    footer = {
        "  0  ok",
        "  1  error",
        "  2  bad input: unknown command, bad flag or value, or a value the cluster refuses as invalid",
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
  /**
   * The top-level commands, in help order. They are added per call ({@link #commandLine(String[])}):
   * building picocli's model of the whole tree costs a short-lived JVM a fifth of a second, so a
   * call gets only the command it names (help, completion and unknown names get all).
   */
  static final List<Class<?>> COMMANDS = List.of(StatusCommand.class, DoctorCommand.class,
      MembersCommand.class, LeaderCommand.class, QueueCommand.class, NodesCommand.class,
      ConfigCommand.class, EventsCommand.class, LeadersCommand.class,
      SyncCommands.class, DaemonsCommand.class, SnapshotCommand.class, UpgradeCommands.class,
      StateCommand.class,
      CertsCommand.class, CompletionCommand.class, CommandLine.HelpCommand.class);
  /** Global options followed by a separate value, so that the value is not taken for a command name. */
  private static final Set<String> VALUED = Set.of("--endpoint", "-o", "--output", "--timeout", "--tls-dir",
      "--tls-name", "--tls-ca", "--tls-cert", "--tls-key");

  @Mixin GlobalOptions global;
  @Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
  }

  /** Exit code of input rrctl can check itself (bad flag, value, payload, token), for every command alike. */
  static final int USAGE = 2;

  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cli = commandLine(args);
    cli.setOut(out);
    cli.setErr(err);
    cli.setParameterExceptionHandler((e, ignored) -> {
      CommandLine where = e.getCommandLine();
      where.getErr().println("rrctl: " + e.getMessage() + " (see: " + where.getCommandSpec().qualifiedName()
          + " --help)");
      return USAGE;
    });
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      if (e instanceof DoctorCommand.DoctorFailed) {
        return 1;
      }
      PrintWriter errors = commandLine.getErr();
      int code;
      if (e instanceof ClusterException failure) {
        errors.println("rrctl: " + failure.getMessage());
        code = failure.kind().exitCode();
      } else if (e instanceof IllegalArgumentException) {
        errors.println("rrctl: " + e.getMessage());
        code = USAGE;
      } else {
        errors.println("rrctl: " + e);
        code = 1;
      }
      if (verbose(commandLine)) {
        e.printStackTrace(errors);
      } else if (code == 1 && !(e instanceof ClusterException)) {
        errors.println("rrctl: (run again with --verbose for the stack trace)");
      }
      return code;
    });
    return cli.execute(args);
  }

  /** The whole command tree, as help and completion show it. */
  static CommandLine commandLine() {
    return commandLine(new String[0]);
  }

  /** The root with the one top-level command {@code args} names, or with all of them. */
  static CommandLine commandLine(String[] args) {
    CommandLine cli = new CommandLine(new Rrctl());
    String wanted = commandName(args);
    boolean known = COMMANDS.stream().anyMatch(c -> names(c).contains(wanted));
    for (Class<?> command : COMMANDS) {
      if (!known || names(command).contains(wanted)) {
        cli.addSubcommand(command);
      }
    }
    withHelpOnEveryCommand(cli);
    return cli;
  }

  private static List<String> names(Class<?> command) {
    Command annotation = command.getAnnotation(Command.class);
    List<String> names = new java.util.ArrayList<>(List.of(annotation.aliases()));
    names.add(annotation.name());
    return names;
  }

  /** The first argument that is not an option or an option's value; null if none, or help and completion. */
  static String commandName(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (VALUED.contains(arg)) {
        i++;
      } else if (!arg.startsWith("-")) {
        return arg.equals("help") || arg.equals("completion") ? null : arg;
      }
    }
    return null;
  }

  /** -h/--help on every command and group, not only on the root (picocli adds it per command). */
  static void withHelpOnEveryCommand(CommandLine command) {
    CommandLine.Model.CommandSpec spec = command.getCommandSpec();
    if (!spec.mixinStandardHelpOptions() && spec.findOption("--help") == null) {
      spec.mixinStandardHelpOptions(true);
    }
    new java.util.LinkedHashSet<>(command.getSubcommands().values()).forEach(Rrctl::withHelpOnEveryCommand);
  }

  private static boolean verbose(CommandLine commandLine) {
    Object root = commandLine.getCommandSpec().root().userObject();
    return root instanceof Rrctl rrctl && rrctl.global != null && rrctl.global.verbose;
  }

  public static void main(String[] args) {
    if (!java.util.Arrays.asList(args).contains("--verbose")) {
      // gRPC logs through java.util.logging straight to stderr, stack traces included: rrctl's
      // own one-line error says what failed; --verbose keeps the library's detail.
      java.util.logging.LogManager.getLogManager().reset();
    }
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    System.exit(run(args, out, err));
  }
}
