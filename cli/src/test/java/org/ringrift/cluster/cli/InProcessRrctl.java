package org.ringrift.cluster.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * Runs rrctl's real command line in this JVM (no JVM start per call, so every subcommand can be
 * driven cheaply) and records which command of the tree each call ran, for the coverage check.
 */
final class InProcessRrctl {
  private static final ObjectMapper JSON = new ObjectMapper();

  record Result(int exitCode, String out, String err) {
    JsonNode json() {
      try {
        return JSON.readTree(out);
      } catch (IOException e) {
        throw new AssertionError("rrctl did not print JSON: " + out + " / " + err, e);
      }
    }

    /** One JSON object per line (streams, and per-node output of --all). */
    List<JsonNode> jsonLines() {
      List<JsonNode> lines = new ArrayList<>();
      for (String line : out.split("\n")) {
        if (!line.isBlank()) {
          try {
            lines.add(JSON.readTree(line));
          } catch (IOException e) {
            throw new AssertionError("not a JSON line: " + line, e);
          }
        }
      }
      return lines;
    }
  }

  private final List<String> globalArgs;
  private final Set<String> ran = new TreeSet<>();

  InProcessRrctl(List<String> globalArgs) {
    this.globalArgs = globalArgs;
  }

  Result run(String... args) {
    List<String> all = new ArrayList<>(globalArgs);
    all.addAll(List.of(args));
    String[] argv = all.toArray(String[]::new);
    record(argv);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Rrctl.run(argv, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(code, out.toString(), err.toString());
  }

  /** Commands (space-separated paths, e.g. "queue add") that some call ran. */
  Set<String> ran() {
    return ran;
  }

  private void record(String[] argv) {
    try {
      ParseResult parsed = Rrctl.commandLine(argv).parseArgs(argv);
      List<String> path = new ArrayList<>();
      for (ParseResult p = parsed.subcommand(); p != null; p = p.subcommand()) {
        path.add(p.commandSpec().name());
      }
      if (!path.isEmpty()) {
        ran.add(String.join(" ", path));
      }
    } catch (CommandLine.ParameterException usageError) {
      // a call that tests a usage error runs no command
    }
  }

  /** Every command of the tree that does something when run (groups without their own action are skipped). */
  static Set<String> runnableCommands() {
    Set<String> names = new TreeSet<>();
    collect(Rrctl.commandLine(), "", names);
    return names;
  }

  /** Every command and group of the tree, runnable or not (help excepted). */
  static Set<String> allCommands() {
    Set<String> names = new TreeSet<>();
    collect(Rrctl.commandLine(), "", names, true);
    names.remove("help");
    return names;
  }

  private static void collect(CommandLine command, String prefix, Set<String> names) {
    collect(command, prefix, names, false);
  }

  private static void collect(CommandLine command, String prefix, Set<String> names, boolean groups) {
    for (CommandLine sub : new java.util.LinkedHashSet<>(command.getSubcommands().values())) {
      String name = prefix + sub.getCommandName();
      Object action = sub.getCommandSpec().userObject();
      if (groups || action instanceof Runnable || action instanceof java.util.concurrent.Callable) {
        names.add(name);
      }
      collect(sub, name + " ", names, groups);
    }
  }
}
