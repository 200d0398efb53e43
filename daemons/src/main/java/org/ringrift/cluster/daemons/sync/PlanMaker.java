package org.ringrift.cluster.daemons.sync;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.ringrift.cluster.proto.DatasetFile;
import org.ringrift.cluster.proto.DatasetManifest;
import org.ringrift.cluster.proto.NodeHealth;
import org.ringrift.cluster.proto.NodeRecord;
import org.ringrift.cluster.proto.PlanSyncRequest;
import org.ringrift.cluster.proto.SyncRecord;

/**
 * The planner's decision, as a pure function of what the replicated state says: which files
 * each node should receive and from where. For every dataset name, the wanted version of a path
 * is the newest (mtime, then hash) any alive node reports. A node receives a dataset when it
 * declares a dataset of that name and the route of the dataset's kind selects it (or an operator
 * triggered it for that node). It gets a transfer when it lacks the wanted version, has no
 * transfer in flight (one per target), and has not failed this version max-attempts times; the
 * source is an alive holder of that version, the one serving fewest transfers, avoiding the
 * source of its last failure when another exists. Transfers in flight stay within
 * {@code maxConcurrent} (total cap / per-host cap).
 */
public final class PlanMaker {
  public record Inputs(List<NodeRecord> nodes, List<SyncRecord> recent, Map<String, Predicate<NodeRecord>> routes,
      Set<Trigger> triggers, int maxConcurrent, int maxPlans, int maxAttempts) {}

  /** An operator's request to sync {@code dataset} now, to {@code target} (empty: to the policy's nodes). */
  public record Trigger(String dataset, String target) {}

  private record Version(String dataset, String kind, DatasetFile file) {}

  private PlanMaker() {}

  public static List<PlanSyncRequest> plan(Inputs in) {
    List<NodeRecord> alive = in.nodes().stream().filter(n -> n.getHealth() == NodeHealth.NODE_HEALTH_ALIVE)
        .sorted(Comparator.comparing(NodeRecord::getNodeId)).toList();
    Set<String> busyTargets = new HashSet<>();
    Map<String, Integer> sourceLoad = new HashMap<>();
    Map<String, Integer> failures = new HashMap<>();
    Map<String, String> lastFailedSource = new HashMap<>();
    Map<String, Long> doneAt = new HashMap<>();
    int active = 0;
    for (SyncRecord r : in.recent()) { // newest first
      String key = versionKey(r.getTargetNode(), r.getDataset(), r.getFile(), r.getSha256());
      switch (r.getStatus()) {
        case SYNC_STATUS_PLANNED, SYNC_STATUS_RUNNING -> {
          busyTargets.add(r.getTargetNode());
          sourceLoad.merge(r.getSourceNode(), 1, Integer::sum);
          active++;
        }
        case SYNC_STATUS_FAILED -> {
          failures.merge(key, 1, Integer::sum);
          lastFailedSource.putIfAbsent(key, r.getSourceNode());
        }
        case SYNC_STATUS_DONE -> doneAt.merge(key, r.getFinishedMs(), Math::max);
        default -> { }
      }
    }
    List<PlanSyncRequest> plans = new ArrayList<>();
    Map<String, TreeMap<String, Version>> wanted = wantedVersions(alive);
    for (NodeRecord target : alive) {
      for (DatasetManifest declared : target.getDatasetsList()) {
        if (active + plans.size() >= in.maxConcurrent() || plans.size() >= in.maxPlans()) {
          return plans;
        }
        if (busyTargets.contains(target.getNodeId()) || !receives(in, target, declared)) {
          continue;
        }
        Map<String, DatasetFile> held = new HashMap<>();
        declared.getFilesList().forEach(f -> held.put(f.getPath(), f));
        for (Version version : wanted.getOrDefault(declared.getName(), new TreeMap<>()).values()) {
          DatasetFile have = held.get(version.file().getPath());
          String key = versionKey(target.getNodeId(), declared.getName(), version.file().getPath(),
              version.file().getSha256());
          if (have != null && have.getSha256().equals(version.file().getSha256())) {
            continue;
          }
          if (doneAt.getOrDefault(key, -1L) >= target.getManifestMs()
              || failures.getOrDefault(key, 0) >= in.maxAttempts()) {
            continue; // done since the target's last manifest, or given up on
          }
          Optional<String> source = pickSource(alive, target.getNodeId(), version, sourceLoad, lastFailedSource.get(key));
          if (source.isEmpty()) {
            continue;
          }
          plans.add(PlanSyncRequest.newBuilder().setDataset(declared.getName()).setFile(version.file().getPath())
              .setSizeBytes(version.file().getSizeBytes()).setSha256(version.file().getSha256())
              .setSourceNode(source.get()).setTargetNode(target.getNodeId()).build());
          sourceLoad.merge(source.get(), 1, Integer::sum);
          busyTargets.add(target.getNodeId());
          break;
        }
      }
    }
    return plans;
  }

  private static boolean receives(Inputs in, NodeRecord target, DatasetManifest declared) {
    if (in.triggers().contains(new Trigger(declared.getName(), target.getNodeId()))) {
      return true;
    }
    Predicate<NodeRecord> route = in.routes().get(declared.getKind());
    return route != null && route.test(target);
  }

  /** Per dataset name, per path: the newest version alive nodes report. */
  private static Map<String, TreeMap<String, Version>> wantedVersions(List<NodeRecord> alive) {
    Map<String, TreeMap<String, Version>> wanted = new TreeMap<>();
    for (NodeRecord node : alive) {
      for (DatasetManifest dataset : node.getDatasetsList()) {
        TreeMap<String, Version> files = wanted.computeIfAbsent(dataset.getName(), k -> new TreeMap<>());
        for (DatasetFile file : dataset.getFilesList()) {
          files.merge(file.getPath(), new Version(dataset.getName(), dataset.getKind(), file), PlanMaker::newer);
        }
      }
    }
    return wanted;
  }

  private static Version newer(Version a, Version b) {
    int byTime = Long.compare(a.file().getMtimeMs(), b.file().getMtimeMs());
    if (byTime != 0) {
      return byTime > 0 ? a : b;
    }
    return a.file().getSha256().compareTo(b.file().getSha256()) >= 0 ? a : b;
  }

  private static Optional<String> pickSource(List<NodeRecord> alive, String target, Version version,
      Map<String, Integer> load, String avoid) {
    List<String> holders = new ArrayList<>();
    for (NodeRecord node : alive) {
      if (node.getNodeId().equals(target) || node.getResourcesOrDefault(DatasetReporter.ENDPOINT_RESOURCE, "").isEmpty()) {
        continue;
      }
      for (DatasetManifest dataset : node.getDatasetsList()) {
        if (dataset.getName().equals(version.dataset()) && dataset.getFilesList().stream().anyMatch(f ->
            f.getPath().equals(version.file().getPath()) && f.getSha256().equals(version.file().getSha256()))) {
          holders.add(node.getNodeId());
        }
      }
    }
    if (holders.size() > 1 && avoid != null) {
      holders.remove(avoid);
    }
    return holders.stream().min(Comparator.comparing((String id) -> load.getOrDefault(id, 0))
        .thenComparing(id -> id));
  }

  private static String versionKey(String target, String dataset, String file, String sha) {
    return target + '\0' + dataset + '\0' + file + '\0' + sha;
  }
}
