package org.ringrift.cluster.bench.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import org.ringrift.cluster.client.ClusterClient;
import org.ringrift.cluster.client.ClusterException;
import org.ringrift.cluster.contract.Endpoint;
import org.ringrift.cluster.proto.ClaimRequest;
import org.ringrift.cluster.proto.ClaimResult;
import org.ringrift.cluster.proto.CompleteRequest;
import org.ringrift.cluster.proto.HeartbeatRequest;
import org.ringrift.cluster.proto.WorkItem;
import org.ringrift.cluster.proto.WorkType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Simulated worker-only nodes. Each heartbeats every interval (first beat at a random offset) and,
 * while idle, claims one item, holds it for the job time and completes it with its lease token:
 * the calls a worker-only node's heartbeat and worker agent make, without the subprocess, the
 * start report, lease extensions (jobs are shorter than a third of the lease) and the agent's
 * item re-reads. Workers are tasks on one scheduled pool with a thread and a ClusterClient per
 * connection, so a call never waits for a client, only for a free thread: that wait is the
 * schedule lag. Claim and complete latencies count from when the worker wanted to make the call,
 * so they include that wait: a saturated load generator shows as latency, never as a quietly
 * lower load (no coordinated omission). Heartbeat latency is the call alone. At most two tasks per
 * worker are pending (its periodic heartbeat and its next claim or complete), so the pool's
 * queue is bounded by twice the worker count.
 */
final class WorkerFleet implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerFleet.class);
  /** A worker-only node's lease (NodeMain --worker-lease-ms default). */
  static final Duration LEASE = Duration.ofMinutes(1);

  record Settings(int workers, Duration jobTime, Duration heartbeatInterval, Duration idleRetry, int connections,
      Duration timeout, long seed) {}

  /** What the fleet did between {@link #beginWindow()} and {@link #endWindow()}. */
  record Window(long claims, long emptyClaims, long completes, long heartbeats, long claimErrors,
      long completeErrors, long heartbeatErrors, long outcomeUnknown, Percentiles claim, Percentiles complete,
      Percentiles heartbeat, Percentiles scheduleLag) {
    long errors() {
      return claimErrors + completeErrors + heartbeatErrors;
    }
  }

  /** Running counts of calls since the fleet started or the last {@link #beginWindow()}. */
  record Totals(long claims, long emptyClaims, long completes, long heartbeats, long errors) {
    /** Calls that answered: claims (empty ones too), completes and heartbeats. */
    long calls() {
      return claims + emptyClaims + completes + heartbeats;
    }
  }

  private record Worker(String id, ClaimRequest claim, HeartbeatRequest heartbeat) {}

  private final Settings settings;
  private final LongConsumer onClaimed;
  private final ScheduledThreadPoolExecutor pool;
  private final BlockingQueue<ClusterClient> clients;
  private final List<ClusterClient> allClients = new ArrayList<>();
  private final List<ScheduledFuture<?>> heartbeatTasks = new ArrayList<>();
  private final FleetMeter meter = new FleetMeter();
  /** Guards busy and stopping: busy counts claims in flight plus items held, which stop() waits out. */
  private final Object lock = new Object();
  private int busy;
  private boolean stopping;
  /** Set by close(): calls it interrupts are not failures of the cluster. */
  private volatile boolean closing;

  WorkerFleet(List<Endpoint> endpoints, Settings settings, LongConsumer onClaimed) {
    this.settings = settings;
    this.onClaimed = onClaimed;
    this.clients = new ArrayBlockingQueue<>(settings.connections());
    for (int i = 0; i < settings.connections(); i++) {
      // Client i prefers member i mod n, as rrbench run's clients do, so calls spread over the members.
      List<Endpoint> rotated = new ArrayList<>();
      for (int k = 0; k < endpoints.size(); k++) {
        rotated.add(endpoints.get((i + k) % endpoints.size()));
      }
      ClusterClient client = new ClusterClient(rotated, settings.timeout());
      allClients.add(client);
      clients.add(client);
    }
    this.pool = new ScheduledThreadPoolExecutor(settings.connections(), runnable -> {
      Thread thread = new Thread(runnable, "rrbench-worker");
      thread.setDaemon(true);
      return thread;
    });
    pool.setRemoveOnCancelPolicy(true);
  }

  static String workerId(int index) {
    return String.format("bw-%04d", index + 1);
  }

  void start() {
    SplittableRandom random = new SplittableRandom(settings.seed());
    long intervalMs = settings.heartbeatInterval().toMillis();
    for (int w = 0; w < settings.workers(); w++) {
      Worker worker = worker(workerId(w));
      heartbeatTasks.add(pool.scheduleAtFixedRate(() -> heartbeat(worker), random.nextLong(intervalMs), intervalMs,
          TimeUnit.MILLISECONDS));
      // First claims spread over one job time, as workers that started at different moments would be.
      at(random.nextLong(settings.jobTime().toMillis() + 1), due -> claim(worker, due));
    }
  }

  private static Worker worker(String id) {
    ClaimRequest claim = ClaimRequest.newBuilder().setWorkerId(id).setNodeId(id).setMaxItems(1)
        .addWorkTypes(WorkType.WORK_TYPE_SELFPLAY).addCapabilities("cpu").setLeaseMs(LEASE.toMillis()).build();
    HeartbeatRequest heartbeat = HeartbeatRequest.newBuilder().setNodeId(id).addRoles("worker")
        .addCapabilities("cpu").putResources("cpus", "8")
        .putDaemonStates("heartbeat", "RUNNING").putDaemonStates("worker_agent", "RUNNING").build();
    return new Worker(id, claim, heartbeat);
  }

  /** Starts the measured window: everything recorded so far was warm-up. */
  void beginWindow() {
    meter.beginWindow();
  }

  Totals totals() {
    return meter.totals();
  }

  Window endWindow() {
    return meter.endWindow();
  }

  private void heartbeat(Worker worker) {
    ClusterClient client = borrow();
    long began = System.nanoTime();
    try {
      client.heartbeat(worker.heartbeat());
      meter.answered(FleetMeter.Call.HEARTBEAT, began, false);
    } catch (RuntimeException e) {
      // Caught whole: an exception would silently end this periodic task.
      failed(FleetMeter.Call.HEARTBEAT, worker, e);
    } finally {
      clients.add(client);
    }
  }

  /** {@code due}: when the worker wanted to claim; its claim latency counts from then. */
  private void claim(Worker worker, long due) {
    synchronized (lock) {
      if (stopping) {
        return;
      }
      busy++;
    }
    boolean holding = false;
    ClusterClient client = borrow();
    try {
      ClaimResult result = client.claim(worker.claim());
      meter.answered(FleetMeter.Call.CLAIM, due, result.getItemsCount() == 0);
      if (result.getItemsCount() == 0) {
        at(settings.idleRetry().toMillis(), next -> claim(worker, next));
      } else {
        onClaimed.accept(result.getItemsCount());
        WorkItem item = result.getItems(0);
        holding = true;
        at(settings.jobTime().toMillis(), next -> complete(worker, item, next));
      }
    } catch (RuntimeException e) {
      failed(FleetMeter.Call.CLAIM, worker, e);
      at(settings.idleRetry().toMillis(), next -> claim(worker, next));
    } finally {
      clients.add(client);
      if (!holding) {
        leave();
      }
    }
  }

  /** Runs even after stop(): the item is held, and stop() waits until it is handed back. */
  private void complete(Worker worker, WorkItem item, long due) {
    ClusterClient client = borrow();
    try {
      client.complete(CompleteRequest.newBuilder().setItemId(item.getId()).setToken(item.getLease()).build());
      meter.answered(FleetMeter.Call.COMPLETE, due, false);
    } catch (RuntimeException e) {
      // The lease runs out and the reaper hands the item back; the worker moves on.
      failed(FleetMeter.Call.COMPLETE, worker, e);
    } finally {
      clients.add(client);
      at(0, next -> claim(worker, next));
      leave();
    }
  }

  private void leave() {
    synchronized (lock) {
      busy--;
      lock.notifyAll();
    }
  }

  /** Runs {@code task} after the delay, telling it when it was due (System.nanoTime()). */
  private void at(long delayMs, LongConsumer task) {
    long due = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMs);
    try {
      pool.schedule(() -> {
        meter.ran(due);
        task.accept(due);
      }, delayMs, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException afterStop) {
      // Only after stop(): the next claim of a stopped worker is not needed.
    }
  }

  private void failed(FleetMeter.Call call, Worker worker, RuntimeException e) {
    if (!closing) {
      meter.failed(call, worker.id(), e);
    }
  }

  /** A free client: there is one per pool thread and a task holds at most one, so one is always free. */
  private ClusterClient borrow() {
    ClusterClient client = clients.poll();
    if (client == null) {
      throw new IllegalStateException("no free client: more running tasks than connections");
    }
    return client;
  }

  /**
   * Stops heartbeats and new claims, then waits until every held item is completed (at most one job
   * time plus two call deadlines), so that the next step starts with no leases of this one.
   */
  void stop() throws InterruptedException {
    heartbeatTasks.forEach(task -> task.cancel(false));
    long deadline = System.nanoTime() + settings.jobTime().plus(settings.timeout().multipliedBy(2)).toNanos();
    synchronized (lock) {
      stopping = true;
      long left;
      while (busy > 0 && (left = deadline - System.nanoTime()) > 0) {
        TimeUnit.NANOSECONDS.timedWait(lock, left);
      }
      if (busy > 0) {
        LOG.warn("workers stopped with {} claims or items still out; their leases expire in {} s", busy,
            LEASE.toSeconds());
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    closing = true;
    synchronized (lock) {
      stopping = true;
    }
    pool.shutdownNow();
    pool.awaitTermination(settings.timeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
    allClients.forEach(ClusterClient::close);
  }
}
