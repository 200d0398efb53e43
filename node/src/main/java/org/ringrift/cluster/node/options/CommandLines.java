package org.ringrift.cluster.node.options;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The one place rrnode's command lines are put together: defaults from the environment and the
 * {@code --config} file (flag, environment, file, default), the one-line effective configuration,
 * and the "is required" error that says where a value can come from.
 */
public final class CommandLines {
  private CommandLines() {}

  /** {@code command}'s command line with its defaults from {@code env} and the --config file named in {@code args}. */
  public static CommandLine build(Object command, String[] args, Map<String, String> env) {
    CommandLine cli = new CommandLine(command);
    Path configFile = configFileIn(args, env);
    OptionDefaults defaults = OptionDefaults.load(configFile, env);
    defaults.checkKnown(cli.getCommandSpec(), configFile);
    cli.setDefaultValueProvider(defaults);
    return cli;
  }

  /** Runs {@code args}: exit 2 for a configuration error, 1 for any other failure; exits the JVM unless 0. */
  public static void run(String name, Object command, String[] args) {
    CommandLine cli;
    try {
      cli = build(command, args, System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println(name + ": " + e.getMessage());
      System.exit(2);
      return;
    }
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      commandLine.getErr().println(name + ": " + e.getMessage());
      return e instanceof IllegalArgumentException ? 2 : 1;
    });
    int code = cli.execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }

  static Path configFileIn(String[] args, Map<String, String> env) {
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--config") && i + 1 < args.length) {
        return Path.of(args[i + 1]);
      }
      if (args[i].startsWith("--config=")) {
        return Path.of(args[i].substring("--config=".length()));
      }
    }
    String fromEnv = env.get(OptionDefaults.ENV_PREFIX + "CONFIG");
    return fromEnv == null ? null : Path.of(fromEnv);
  }

  /** Every option's effective value on one line; nothing is redacted: TLS options name key files, never hold keys. */
  public static String effectiveConfig(CommandSpec spec) {
    StringBuilder line = new StringBuilder();
    for (OptionSpec option : spec.options()) {
      if (option.usageHelp() || option.versionHelp()) {
        continue;
      }
      Object value = option.getValue();
      String shown = value == null ? "" : value instanceof Duration d ? d.toMillis() + "ms" : value.toString();
      line.append(OptionDefaults.key(option)).append('=').append(shown).append(' ');
    }
    return line.toString().trim();
  }

  /** {@code value}, or an error naming {@code flag} and the places it can come from. */
  public static <T> T require(T value, String flag) {
    if (value == null) {
      throw new IllegalArgumentException(flag + " is required (flag, " + OptionDefaults.ENV_PREFIX
          + flag.substring(2).toUpperCase(Locale.ROOT).replace('-', '_') + " or "
          + flag.substring(2) + "= in the config file)");
    }
    return value;
  }
}
