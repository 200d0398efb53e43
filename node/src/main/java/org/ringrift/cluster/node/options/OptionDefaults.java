package org.ringrift.cluster.node.options;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Where an option's value comes from when the command line does not give it: the environment
 * ({@code RRNODE_ADMIN_PORT} for {@code --admin-port}), then the config file ({@code admin-port=}),
 * then the built-in default. So precedence is flag, environment, file, default.
 */
public final class OptionDefaults implements IDefaultValueProvider {
  public static final String ENV_PREFIX = "RRNODE_";

  private final Properties file;
  private final Map<String, String> env;

  private OptionDefaults(Properties file, Map<String, String> env) {
    this.file = file;
    this.env = env;
  }

  /** Reads {@code configFile} (Java properties, keys are option names without dashes), if given. */
  public static OptionDefaults load(Path configFile, Map<String, String> env) {
    Properties properties = new Properties();
    if (configFile != null) {
      try (Reader reader = Files.newBufferedReader(configFile, StandardCharsets.UTF_8)) {
        properties.load(reader);
      } catch (IOException e) {
        throw new IllegalArgumentException("--config " + configFile + ": cannot read: " + e.getMessage());
      }
    }
    return new OptionDefaults(properties, env);
  }

  /** Refuses a file key that names no option: a typo must not silently fall back to a default. */
  public void checkKnown(CommandSpec spec, Path configFile) {
    Set<String> known = new TreeSet<>();
    for (OptionSpec option : spec.options()) {
      known.add(key(option));
    }
    for (String name : file.stringPropertyNames()) {
      if (!known.contains(name)) {
        throw new IllegalArgumentException("--config " + configFile + ": unknown key '" + name + "'; known keys: "
            + String.join(", ", known));
      }
    }
  }

  @Override
  public String defaultValue(ArgSpec arg) {
    if (!(arg instanceof OptionSpec option)) {
      return null;
    }
    String key = key(option);
    String fromEnv = env.get(ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('-', '_'));
    if (fromEnv != null) {
      return fromEnv;
    }
    return file.getProperty(key);
  }

  public static String key(OptionSpec option) {
    return option.longestName().replaceFirst("^-+", "");
  }
}
