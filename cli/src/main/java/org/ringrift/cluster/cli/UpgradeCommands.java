package org.ringrift.cluster.cli;

import java.util.List;
import org.ringrift.cluster.client.ClusterClient;
import org.ringrift.cluster.contract.views.Views;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rrctl cluster}: the cluster's feature level, for rolling upgrades (docs/OPERATIONS.md, Upgrades). */
@Command(name = "cluster", footerHeading = "%nExamples:%n",
    footer = {"  rrctl cluster feature-level", "  rrctl cluster upgrade --to 2"},
    description = "Cluster-wide versioning: the feature level and what every member's binary supports.",
    subcommands = {UpgradeCommands.FeatureLevel.class, UpgradeCommands.Upgrade.class})
final class UpgradeCommands {
  private static final List<String> MEMBER_COLUMNS =
      List.of("node_id", "role", "binary_version", "feature_levels", "supports_next");

  @Command(name = "feature-level", footerHeading = "%nExamples:%n",
      footer = {"  rrctl cluster feature-level", "  rrctl -o json cluster feature-level | jq .feature_level"},
      description = "The cluster's feature level and each member's binary version and supported levels.")
  static final class FeatureLevel extends ClientCommand {
    @Override
    void run(ClusterClient client, Printer printer) {
      java.util.Map<String, Object> view = Views.featureLevel(client.featureLevel());
      if (!printer.isJson()) {
        java.util.Map<String, Object> level = new java.util.LinkedHashMap<>(view);
        level.remove("members");
        printer.object(level);
        printer.blankLine();
      }
      printer.rows(view, "members", MEMBER_COLUMNS);
    }
  }

  @Command(name = "upgrade", footerHeading = "%nExamples:%n",
      footer = {"  rrctl cluster upgrade --to 2"},
      description = "Set the feature level to N once every voter and listener runs a binary that supports it "
          + "(refused, exit 5, naming the members that do not). Lowering is refused once a command of a higher "
          + "level was applied.")
  static final class Upgrade extends ClientCommand {
    @Option(names = "--to", required = true, paramLabel = "N", description = "The feature level to set.")
    int level;

    @Override
    void run(ClusterClient client, Printer printer) {
      printer.object(Views.featureLevelResult(client.setFeatureLevel(level)));
    }
  }
}
