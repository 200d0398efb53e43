package org.ringrift.cluster.bench.load;

import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** rrbench: load against a RingRift cluster and etcd, side by side, through their real clients. */
@Command(name = "rrbench", mixinStandardHelpOptions = true,
    description = "Load generator for the RingRift cluster core, with etcd as the same-run baseline.",
    subcommands = {RunCommand.class, CompareCommand.class, FailoverCommand.class, CatchupCommand.class,
        WorkersCommand.class, FsyncCommand.class})
public final class Rrbench {
  /** Upper bounds, so that a typo cannot ask for a run that never ends. */
  static final int MAX_CLIENTS = 1024;
  static final int MAX_OPS = 10_000_000;
  static final int MAX_PAYLOAD = 1 << 20;
  static final int MAX_RUNS = 100;

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  static int execute(String... args) {
    return commandLine().execute(args);
  }

  static CommandLine commandLine() {
    return new CommandLine(new Rrbench())
        .setExecutionExceptionHandler((e, command, parsed) -> {
          if (e instanceof IllegalArgumentException) {
            command.getErr().println("rrbench: " + e.getMessage());
            return 2;
          }
          throw e;
        });
  }

  static Path repoRoot(Path repo) {
      if (repo != null) {
        return repo;
      }
      String home = System.getProperty("rrbench.home");
      if (home != null) {
        return Path.of(home);
      }
      Path cwd = Path.of(System.getProperty("user.dir")).toAbsolutePath();
      return Files.exists(cwd.resolve("bin/rrnode")) ? cwd : cwd.getParent();
  }

  static byte[] payload(int bytes) {
    byte[] payload = new byte[bytes];
    for (int i = 0; i < payload.length; i++) {
      payload[i] = (byte) ('a' + i % 26);
    }
    return payload;
  }

  static void check(String field, boolean ok, String limit) {
    if (!ok) {
      throw new IllegalArgumentException(field + ": must be " + limit);
    }
  }
}
