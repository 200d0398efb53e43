package org.ringrift.cluster.cli;

import java.util.List;
import org.ringrift.cluster.client.ClusterClient;
import org.ringrift.cluster.contract.views.Views;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** rrctl config: the replicated runtime config. */
@Command(name = "config", footerHeading = "%nExamples:%n",
    footer = {"  rrctl config get", "  rrctl config set queue.timeout_ms.training 14400000"},
    description = "The replicated runtime config.",
    subcommands = {ConfigCommand.Get.class, ConfigCommand.Set.class})
final class ConfigCommand {
  @Command(name = "get", footerHeading = "%nExamples:%n",
  footer = {"  rrctl config get", "  rrctl config get queue.pending_soft_limit"},
   description = "Every key with its value and meaning, or one key.")
  static final class Get extends ClientCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "KEY") String key = "";

    @Override
    void run(ClusterClient client, Printer printer) {
      printer.rows(Views.list("entries", client.getConfig(key), Views::config), "entries",
          List.of("key", "value", "is_default", "description"));
    }
  }

  @Command(name = "set", footerHeading = "%nExamples:%n",
  footer = {"  rrctl config set queue.pending_soft_limit 2000"},
   description = "Set a key cluster-wide; unknown keys and out-of-range values are refused.")
  static final class Set extends ClientCommand {
    @Parameters(index = "0", paramLabel = "KEY") String key;
    @Parameters(index = "1", paramLabel = "VALUE") String value;

    @Override
    void run(ClusterClient client, Printer printer) {
      printer.object(Views.config(client.setConfig(key, value)));
    }
  }
}
