package org.ringrift.cluster.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ringrift.cluster.client.ClusterClient;
import org.ringrift.cluster.contract.views.Views;
import org.ringrift.cluster.proto.DatasetFile;
import org.ringrift.cluster.proto.DatasetManifest;
import org.ringrift.cluster.proto.NodeRecord;
import org.ringrift.cluster.proto.SyncHistoryRequest;
import org.ringrift.cluster.proto.SyncRecord;
import org.ringrift.cluster.proto.SyncStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** rrctl sync: the sync history, transfers in flight and datasets per node, and forced syncs. */
@Command(name = "sync", footerHeading = "%nExamples:%n",
    footer = {"  rrctl sync history --status failed", "  rrctl sync status", "  rrctl sync trigger --dataset models --to n2"},
    description = "Data sync between nodes.", subcommands = {SyncCommands.History.class,
    SyncCommands.Status.class, SyncCommands.Trigger.class})
final class SyncCommands {
  private static final int BAR = 20;

  @Command(name = "history", footerHeading = "%nExamples:%n",
  footer = {"  rrctl sync history --limit 20", "  rrctl sync history --node n2 --status failed"},
   description = "Sync records, newest first.")
  static final class History extends ClientCommand {
    @Option(names = "--limit", defaultValue = "50", description = "1-1000 (default: ${DEFAULT-VALUE}).") int limit;
    @Option(names = "--node", defaultValue = "", description = "Only transfers from or to this node.") String node;
    @Option(names = "--status", description = "planned, running, done or failed.") String status;

    @Override
    void run(ClusterClient client, Printer printer) {
      SyncHistoryRequest.Builder request = SyncHistoryRequest.newBuilder().setLimit(limit).setNode(node);
      if (status != null) {
        request.setStatus(parseStatus(status));
      }
      printer.rows(Views.list("records", client.syncHistory(request.build()), Views::sync), "records",
          List.of("sync_id", "status", "file", "source_node", "target_node", "bytes_done", "error"));
    }

    private static SyncStatus parseStatus(String name) {
      for (SyncStatus s : SyncStatus.values()) {
        if (s != SyncStatus.UNRECOGNIZED && s.name().equalsIgnoreCase("SYNC_STATUS_" + name)) {
          return s;
        }
      }
      throw new IllegalArgumentException("--status '" + name + "' must be planned, running, done or failed");
    }
  }

  @Command(name = "status", description = "Transfers in flight with progress, and each node's datasets: files, "
      + "bytes, and how many files it lacks in their newest version (behind).",
      footerHeading = "%nExamples:%n", footer = {"  rrctl sync status", "  rrctl sync status --output json"})
  static final class Status extends ClientCommand {
    @Override
    void run(ClusterClient client, Printer printer) {
      List<Map<String, Object>> transfers = new ArrayList<>();
      for (SyncStatus status : List.of(SyncStatus.SYNC_STATUS_RUNNING, SyncStatus.SYNC_STATUS_PLANNED)) {
        for (SyncRecord r : client.syncHistory(SyncHistoryRequest.newBuilder().setStatus(status).setLimit(1000).build())) {
          Map<String, Object> row = Views.sync(r);
          row.put("progress", bar(r.getBytesDone(), r.getSizeBytes()));
          transfers.add(row);
        }
      }
      Map<String, Object> view = new LinkedHashMap<>();
      view.put("transfers", transfers);
      view.put("datasets", datasets(client.listNodes()));
      if (printer.isJson()) {
        printer.object(view);
        return;
      }
      printer.rows(view, "transfers", List.of("sync_id", "status", "dataset", "file", "source_node", "target_node",
          "progress"));
      printer.rows(view, "datasets", List.of("node_id", "dataset", "kind", "files", "bytes", "behind", "truncated"));
    }

    /** Per node and dataset: counts, and files whose newest version (any node's) this node lacks. */
    private static List<Map<String, Object>> datasets(List<NodeRecord> nodes) {
      Map<String, Map<String, DatasetFile>> newest = new HashMap<>();
      for (NodeRecord node : nodes) {
        for (DatasetManifest d : node.getDatasetsList()) {
          Map<String, DatasetFile> files = newest.computeIfAbsent(d.getName(), k -> new HashMap<>());
          d.getFilesList().forEach(f -> files.merge(f.getPath(), f, (a, b) -> a.getMtimeMs() >= b.getMtimeMs() ? a : b));
        }
      }
      List<Map<String, Object>> rows = new ArrayList<>();
      for (NodeRecord node : nodes) {
        for (DatasetManifest d : node.getDatasetsList()) {
          Map<String, String> held = new HashMap<>();
          d.getFilesList().forEach(f -> held.put(f.getPath(), f.getSha256()));
          long behind = newest.get(d.getName()).values().stream()
              .filter(f -> !f.getSha256().equals(held.get(f.getPath()))).count();
          Map<String, Object> row = new LinkedHashMap<>();
          row.put("node_id", node.getNodeId());
          row.put("dataset", d.getName());
          row.put("kind", d.getKind());
          row.put("files", d.getFilesCount());
          row.put("bytes", d.getFilesList().stream().mapToLong(DatasetFile::getSizeBytes).sum());
          row.put("behind", behind);
          row.put("truncated", d.getTruncated());
          rows.add(row);
        }
      }
      return rows;
    }

    static String bar(long done, long size) {
      double share = size == 0 ? 1.0 : Math.min(1.0, (double) done / size);
      int filled = (int) Math.round(share * BAR);
      return "[" + "#".repeat(filled) + "-".repeat(BAR - filled) + "] " + Math.round(share * 100) + "%";
    }
  }

  @Command(name = "trigger", description = "Sync a dataset now (the original runbook's forced sync). With --to, "
      + "that node receives the dataset for an hour even where the policy does not route it.",
      footerHeading = "%nExamples:%n", footer = {"  rrctl sync trigger --dataset models",
          "  rrctl sync trigger --dataset models --to gpu7"})
  static final class Trigger extends ClientCommand {
    @Option(names = "--dataset", required = true, description = "Dataset name, as nodes declare it.") String dataset;
    @Option(names = "--to", defaultValue = "", description = "Target node (default: the policy's nodes).") String to;

    @Override
    void run(ClusterClient client, Printer printer) {
      printer.object(Views.event(client.syncTrigger(dataset, to)));
    }
  }
}
