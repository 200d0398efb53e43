package org.ringrift.cluster.node.options;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ringrift.cluster.node.DaemonSettings;
import org.ringrift.cluster.proto.WorkType;
import picocli.CommandLine.Option;

/** This node's daemons: their intervals, the roles and capabilities it reports, and the work it runs. */
public final class DaemonOptions {
  /** A FAILED daemon crashed 4 times within the hour already: retrying it more than once a second is a storm. */
  public static final long MIN_FAILED_RETRY_MS = 1000;

  @Option(names = "--heartbeat-ms", defaultValue = "15000", converter = Units.Millis.class, paramLabel = "MS",
      description = "Heartbeat interval (default: ${DEFAULT-VALUE}).")
  Duration heartbeat;

  @Option(names = "--leader-tick-ms", defaultValue = "5000", converter = Units.Millis.class, paramLabel = "MS",
      description = "How often the job reaper and node liveness run on the leader (default: ${DEFAULT-VALUE}).")
  Duration leaderTick;

  @Option(names = "--reaper-grace-ms", defaultValue = "30000", converter = Units.Millis.class, paramLabel = "MS",
      description = "A new leader expires no lease for this long (default: ${DEFAULT-VALUE}).")
  Duration reaperGrace;

  @Option(names = "--retention-tick-ms", defaultValue = "60000", converter = Units.Millis.class, paramLabel = "MS",
      description = "How often retention prunes (default: ${DEFAULT-VALUE}).")
  Duration retentionTick;

  @Option(names = "--daemon-failed-retry-ms", defaultValue = "300000", converter = Units.Millis.class, paramLabel = "MS",
      description = "A daemon that crashed past its restart cap (3 in an hour) is FAILED and tried again this often "
          + "until it runs (default: ${DEFAULT-VALUE}, at least " + MIN_FAILED_RETRY_MS + ").")
  Duration daemonFailedRetry;

  @Option(names = "--roles", split = ",", defaultValue = "voter", description = "Roles this node reports (default: ${DEFAULT-VALUE}).")
  List<String> roles;

  @Option(names = "--capabilities", split = ",", defaultValue = "", description = "Capabilities this node reports, e.g. gpu,cpu.")
  List<String> capabilities;

  @Option(names = "--work-command", paramLabel = "TYPE=PROGRAM [ARG...]", split = ";",
      description = "Run TYPE work items with this program (repeat per type). Arguments are split on spaces; "
          + "no shell. The payload goes in on stdin; RR_ITEM_ID, RR_WORK_TYPE, RR_ATTEMPT are set.")
  List<String> workCommands = new ArrayList<>();

  @Option(names = "--worker-slots", defaultValue = "2", description = "Work items run at once (default: ${DEFAULT-VALUE}).")
  int workerSlots;

  @Option(names = "--worker-lease-ms", defaultValue = "60000", converter = Units.Millis.class, paramLabel = "MS",
      description = "Lease a worker takes and keeps extending (default: ${DEFAULT-VALUE}).")
  Duration workerLease;

  @Option(names = "--no-populate", description = "Do not run the queue populator on this node when it leads.")
  boolean noPopulate;

  /** The daemons' settings; a worker-only node ({@code workerOnly}) does not report the voter role. */
  public DaemonSettings settings(boolean workerOnly) {
    Map<WorkType, List<String>> commands = workCommands();
    List<String> nodeRoles = new ArrayList<>(roles);
    if (workerOnly) {
      nodeRoles.remove("voter");
    }
    if (!commands.isEmpty() && !nodeRoles.contains("worker")) {
      nodeRoles.add("worker");
    }
    if (daemonFailedRetry.toMillis() < MIN_FAILED_RETRY_MS) {
      throw new IllegalArgumentException("--daemon-failed-retry-ms " + daemonFailedRetry.toMillis()
          + " is below the minimum " + MIN_FAILED_RETRY_MS);
    }
    return new DaemonSettings(heartbeat, leaderTick, reaperGrace, retentionTick, Duration.ofSeconds(2), nodeRoles,
        capabilities.stream().filter(c -> !c.isBlank()).toList(), !noPopulate, commands, workerSlots, workerLease,
        daemonFailedRetry);
  }

  private Map<WorkType, List<String>> workCommands() {
    Map<WorkType, List<String>> commands = new LinkedHashMap<>();
    for (String spec : workCommands) {
      int eq = spec.indexOf('=');
      String typeName = eq < 0 ? spec : spec.substring(0, eq);
      WorkType type = org.ringrift.cluster.contract.names.WorkTypes.parse(typeName)
          .orElseThrow(() -> new IllegalArgumentException("--work-command '" + spec + "': unknown work type '"
              + typeName + "'; one of " + org.ringrift.cluster.contract.names.WorkTypes.names()));
      List<String> argv = eq < 0 ? List.of() : List.of(spec.substring(eq + 1).trim().split("\\s+"));
      if (argv.isEmpty() || argv.get(0).isEmpty()) {
        throw new IllegalArgumentException("--work-command '" + spec + "' needs TYPE=PROGRAM");
      }
      commands.put(type, argv);
    }
    return commands;
  }
}
