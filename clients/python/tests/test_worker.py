"""The Worker against a real 3-node process cluster: completes and fails items, keeps its lease
through a leader kill, and releases its item on SIGTERM."""

import json
import os
import signal
import subprocess
import sys
import threading
import time

import ringrift
from process_cluster import REPO, wait_until

COMPLETED = ringrift.queue_pb2.WORK_STATE_COMPLETED
RUNNING = ringrift.queue_pb2.WORK_STATE_RUNNING
PENDING = ringrift.queue_pb2.WORK_STATE_PENDING


def drain(cluster, work_type):
    """Cancels every pending item of ``work_type`` left by earlier tests."""
    for item in cluster.list(states=["pending"], type=work_type, limit=500).items:
        cluster.cancel(item.id, "test reset")


def test_worker_completes_and_fails_items(cluster):
    drain(cluster, "cpu_cmaes")
    ids = [r.item.id for r in cluster.enqueue_batch(
        [{"type": "cpu_cmaes", "payload": {"n": n}, "max_attempts": 1} for n in range(4)])]

    def handler(job):
        n = job.json()["n"]
        if n == 2:
            raise RuntimeError("bad generation %d" % n)
        return {"square": n * n}

    worker = ringrift.Worker(cluster, ["cpu_cmaes"], handler, worker_id="py-worker-a", max_items=3,
                             idle_backoff=(0.05, 0.2))
    thread = threading.Thread(target=worker.run, daemon=True)
    thread.start()
    thread.join(60)
    assert not thread.is_alive()
    assert (worker.completed, worker.failed, worker.lost) == (3, 1, 0)
    items = {i: cluster.get(i) for i in ids}
    assert [json.loads(items[ids[n]].result) for n in (0, 1, 3)] == [{"square": 0}, {"square": 1}, {"square": 9}]
    assert items[ids[2]].state == ringrift.queue_pb2.WORK_STATE_FAILED
    assert items[ids[2]].last_error == "RuntimeError: bad generation 2"


def test_worker_keeps_its_lease_and_result_through_a_leader_kill(process_cluster, cluster):
    drain(cluster, "training")
    item_id = cluster.enqueue("training", {"epochs": 1}, priority=100, max_attempts=1).item.id
    started = threading.Event()
    finish = threading.Event()

    def handler(job):
        started.set()
        assert finish.wait(60), "the test never let the job finish"
        return {"trained": job.id}

    lease_ms = 3000
    worker = ringrift.Worker(cluster, ["training"], handler, worker_id="py-worker-kill", lease_ms=lease_ms,
                             max_items=1, idle_backoff=(0.05, 0.2))
    thread = threading.Thread(target=worker.run, daemon=True)
    thread.start()
    assert started.wait(30)
    assert cluster.get(item_id).state == RUNNING

    leader = process_cluster.wait_ready()
    killed_ms = int(time.time() * 1000)
    process_cluster.kill(leader)
    # A new leader, and the lease extended through it until well past the end of the lease held
    # at the kill (at most killed_ms + lease_ms): without extends the reaper would have taken it.
    wait_until(lambda: process_cluster.leader_index() not in (None, leader), 30, "a new leader")
    wait_until(lambda: cluster.get(item_id).lease_expires_ms > killed_ms + 2 * lease_ms, 30,
               "the lease extended a lease length past its end at the kill")
    item = cluster.get(item_id)
    assert item.state == RUNNING and item.claimed_by == "py-worker-kill" and item.attempts == 1

    finish.set()
    thread.join(60)
    assert not thread.is_alive()
    assert (worker.completed, worker.lost) == (1, 0)
    done = cluster.get(item_id)
    assert done.state == COMPLETED and done.attempts == 1
    assert json.loads(done.result) == {"trained": item_id}


def test_sigterm_releases_the_held_item(process_cluster, cluster):
    drain(cluster, "tournament")
    item_id = cluster.enqueue("tournament", {"games": 2}, priority=100).item.id
    env = dict(os.environ, PYTHONPATH=os.path.join(REPO, "clients", "python", "src"))
    worker = subprocess.Popen(
        [sys.executable, os.path.join(REPO, "examples", "python", "selfplay_worker.py"),
         "--endpoints", ",".join(process_cluster.endpoints), "--types", "tournament", "--job-seconds", "60",
         "--worker-id", "py-sigterm"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        wait_until(lambda: cluster.get(item_id).state == RUNNING, 30, "the worker to run the item")
        worker.send_signal(signal.SIGTERM)
        output, _ = worker.communicate(timeout=20)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert worker.returncode == 0, output.decode()
    item = cluster.get(item_id)
    assert item.state == PENDING and item.attempts == 0, output.decode()
    assert b"released item " + item_id.encode() in output
    cluster.cancel(item_id)
