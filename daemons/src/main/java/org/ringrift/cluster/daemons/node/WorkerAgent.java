package org.ringrift.cluster.daemons.node;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.ringrift.cluster.daemons.Daemon;
import org.ringrift.cluster.daemons.DaemonContext;
import org.ringrift.cluster.daemons.Proposals;
import org.ringrift.cluster.proto.ClaimRequest;
import org.ringrift.cluster.proto.Command;
import org.ringrift.cluster.proto.CommandResult;
import org.ringrift.cluster.proto.CompleteRequest;
import org.ringrift.cluster.proto.ExtendRequest;
import org.ringrift.cluster.proto.FailRequest;
import org.ringrift.cluster.proto.GetItemRequest;
import org.ringrift.cluster.proto.LeaseToken;
import org.ringrift.cluster.proto.Query;
import org.ringrift.cluster.proto.QueryResult;
import org.ringrift.cluster.proto.ReleaseRequest;
import org.ringrift.cluster.proto.StartRequest;
import org.ringrift.cluster.proto.WorkItem;
import org.ringrift.cluster.proto.WorkState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims work this node can run, runs each item as a subprocess, keeps its lease alive, and
 * reports the result. A job whose lease is lost or whose item was cancelled is killed at once:
 * the queue may already have given the item to someone else.
 */
public final class WorkerAgent implements Daemon {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerAgent.class);

  private final Proposals proposals;
  private final String nodeId;
  private final List<String> capabilities;
  private final WorkerSettings settings;
  private final Map<String, Job> running = new LinkedHashMap<>();

  public WorkerAgent(Proposals proposals, String nodeId, List<String> capabilities, WorkerSettings settings) {
    this.proposals = proposals;
    this.nodeId = nodeId;
    this.capabilities = capabilities;
    this.settings = settings;
  }

  private record Job(WorkItem item, LeaseToken token, Process process, OutputCapture out, OutputCapture err,
      List<Thread> captures, long lastExtendNanos) {
    Job extended(long nanos) {
      return new Job(item, token, process, out, err, captures, nanos);
    }
  }

  @Override
  public void tick(DaemonContext context) throws Exception {
    watchRunning(context);
    int free = settings.slots() - running.size();
    if (free > 0 && !settings.commands().isEmpty()) {
      claimAndStart(context, free);
    }
  }

  private void watchRunning(DaemonContext context) throws Exception {
    for (Iterator<Map.Entry<String, Job>> it = running.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Job> entry = it.next();
      Job job = entry.getValue();
      if (!job.process().isAlive()) {
        report(context, job);
        it.remove();
      } else if (!stillOurs(job)) {
        kill(job, "item is no longer leased to this worker");
        it.remove();
      } else if (System.nanoTime() - job.lastExtendNanos() > settings.lease().toNanos() / 3) {
        CommandResult extended = proposals.propose(context, Command.newBuilder().setExtend(ExtendRequest.newBuilder()
            .setItemId(job.item().getId()).setToken(job.token()).setLeaseMs(settings.lease().toMillis())));
        if (extended.hasRejected()) {
          kill(job, "lease lost: " + extended.getRejected().getMessage());
          it.remove();
        } else {
          entry.setValue(job.extended(System.nanoTime()));
        }
      }
    }
  }

  /** The item is still leased to us under our token (not cancelled, not expired and re-claimed). */
  private boolean stillOurs(Job job) throws Exception {
    QueryResult result = proposals.read(Query.newBuilder()
        .setGetItem(GetItemRequest.newBuilder().setItemId(job.item().getId())).build());
    if (result.hasRejected()) {
      return false;
    }
    WorkItem now = result.getGetItem().getItem();
    return now.getLease().equals(job.token())
        && (now.getState() == WorkState.WORK_STATE_CLAIMED || now.getState() == WorkState.WORK_STATE_RUNNING);
  }

  private void report(DaemonContext context, Job job) throws Exception {
    joinCaptures(job);
    int exit = job.process().exitValue();
    Command.Builder command = Command.newBuilder();
    if (exit == 0) {
      command.setComplete(CompleteRequest.newBuilder().setItemId(job.item().getId()).setToken(job.token())
          .setResult(com.google.protobuf.ByteString.copyFromUtf8(job.out().tail())));
    } else {
      command.setFail(FailRequest.newBuilder().setItemId(job.item().getId()).setToken(job.token())
          .setError("exit " + exit + ": " + job.err().tail()));
    }
    CommandResult result = proposals.propose(context, command);
    LOG.info("work finished item={} exit={} reported={}", job.item().getId(), exit,
        result.hasRejected() ? "rejected: " + result.getRejected().getMessage() : "ok");
  }

  private void claimAndStart(DaemonContext context, int free) throws Exception {
    CommandResult claimed = proposals.propose(context, Command.newBuilder().setClaim(ClaimRequest.newBuilder()
        .setWorkerId(nodeId).setNodeId(nodeId).setMaxItems(Math.min(10, free))
        .addAllWorkTypes(settings.commands().keySet().stream().sorted().toList())
        .addAllCapabilities(capabilities).setLeaseMs(settings.lease().toMillis())));
    if (claimed.hasRejected()) {
      LOG.debug("claim refused node={} reason={}", nodeId, claimed.getRejected().getMessage());
      return;
    }
    for (WorkItem item : claimed.getClaim().getItemsList()) {
      try {
        Job job = launch(item);
        running.put(item.getId(), job);
        proposals.propose(context, Command.newBuilder().setStart(StartRequest.newBuilder()
            .setItemId(item.getId()).setToken(item.getLease())));
        LOG.info("work started item={} type={} pid={}", item.getId(), item.getType(), job.process().pid());
      } catch (IOException e) {
        proposals.propose(context, Command.newBuilder().setFail(FailRequest.newBuilder().setItemId(item.getId())
            .setToken(item.getLease()).setError("could not start: " + e.getMessage())));
        LOG.warn("work not started item={} error={}", item.getId(), e.getMessage());
      }
    }
  }

  private Job launch(WorkItem item) throws IOException {
    Path dir = settings.workDir().resolve(item.getId());
    Files.createDirectories(dir);
    ProcessBuilder builder = new ProcessBuilder(settings.commands().get(item.getType())).directory(dir.toFile());
    builder.environment().put("RR_ITEM_ID", item.getId());
    builder.environment().put("RR_WORK_TYPE", item.getType().name());
    builder.environment().put("RR_ATTEMPT", Integer.toString(item.getAttempts()));
    Process process = builder.start();
    OutputCapture[] out = new OutputCapture[1];
    OutputCapture[] err = new OutputCapture[1];
    List<Thread> captures = List.of(
        OutputCapture.start(process.getInputStream(), dir.resolve("stdout.log"), settings.maxLogBytes(),
            settings.reportBytes(), "work-out-" + item.getId(), out),
        OutputCapture.start(process.getErrorStream(), dir.resolve("stderr.log"), settings.maxLogBytes(),
            settings.reportBytes(), "work-err-" + item.getId(), err));
    try (OutputStream stdin = process.getOutputStream()) {
      stdin.write(item.getPayload().toByteArray());
    } catch (IOException e) {
      // The command does not read its payload; that is its business.
    }
    return new Job(item, item.getLease(), process, out[0], err[0], captures, System.nanoTime());
  }

  /** The process has exited; its pipes close and the captures end, unless a child process holds them. */
  private static void joinCaptures(Job job) throws InterruptedException {
    for (Thread capture : job.captures()) {
      capture.join(TimeUnit.SECONDS.toMillis(2));
    }
  }

  private static void kill(Job job, String why) {
    job.process().destroyForcibly();
    LOG.warn("work killed item={} pid={} reason={}", job.item().getId(), job.process().pid(), why);
  }

  /** Stopping (shutdown, leadership has nothing to do with it): kill the jobs and give their items back. */
  @Override
  public void stop() {
    List<Job> jobs = new ArrayList<>(running.values());
    running.clear();
    for (Job job : jobs) {
      job.process().destroy();
      try {
        if (!job.process().waitFor(5, TimeUnit.SECONDS)) {
          job.process().destroyForcibly();
        }
        proposals.propose(new DaemonContext(0, 0, System::nanoTime), Command.newBuilder()
            .setRelease(ReleaseRequest.newBuilder().setItemId(job.item().getId()).setToken(job.token())));
        LOG.info("work released item={}", job.item().getId());
      } catch (Exception e) {
        LOG.info("work not released item={} cause={}: its lease will expire", job.item().getId(), e.toString());
      }
    }
  }

  @Override
  public Duration interval() {
    return settings.interval();
  }
}
