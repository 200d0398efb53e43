#!/usr/bin/env python3
"""Claim-complete cycles per second and p50/p99 latency from Python (16 worker threads by default),
against the Java client (bin/rrbench run --workload claim-complete) on the same cluster in the same run.

One cycle is what rrbench's claim-complete operation is: claim (max 1 item, any type) then complete
with the lease token, on prefilled items; each thread has its own Cluster preferring node i mod 3,
as rrbench's clients do. It starts its own 3-node process cluster (bin/rrnode, temp dir), runs
rrbench first (its settling warm-up also warms the nodes), then the Python runs, and prints both
medians. Hold the build lock while measuring:

    flock /tmp/mvn.lock /usr/bin/python3 clients/python/bench_claim_complete.py
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "tests"))

from process_cluster import REPO, ProcessCluster  # noqa: E402

import ringrift  # noqa: E402

PREFILL_BATCH = 100


def percentile(sorted_values, p):
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, int(round(p / 100.0 * len(sorted_values) + 0.5)) - 1))
    return sorted_values[index]


def python_run(endpoints, threads, ops, warmup, payload, timeout):
    with ringrift.Cluster(endpoints, timeout=timeout, sessions=False) as admin:
        total = ops + warmup
        for done in range(0, total, PREFILL_BATCH):
            admin.enqueue_batch([{"type": "selfplay", "payload": payload}] * min(PREFILL_BATCH, total - done))
    lock = threading.Lock()
    state = {"next": 0, "t0": None, "end": 0.0, "errors": 0}
    latencies = []
    clients = [ringrift.Cluster([endpoints[(i + k) % len(endpoints)] for k in range(len(endpoints))], timeout=timeout,
                                client_name="bench-py-%d" % i) for i in range(threads)]

    def loop(i):
        client = clients[i]
        worker = "bench-py-%d" % i
        while True:
            with lock:
                n = state["next"]
                if n >= total:
                    return
                state["next"] = n + 1
                if n == warmup:
                    state["t0"] = time.perf_counter()
            start = time.perf_counter()
            try:
                items = client.claim(worker, max_items=1)
                if len(items) != 1:
                    raise RuntimeError("claim returned %d items" % len(items))
                client.complete(items[0])
            except Exception:
                with lock:
                    state["errors"] += 1
                continue
            end = time.perf_counter()
            if n >= warmup:
                with lock:
                    latencies.append(end - start)
                    state["end"] = max(state["end"], end)

    try:
        for c in clients:
            c.open_session()
        workers = [threading.Thread(target=loop, args=(i,)) for i in range(threads)]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
    finally:
        for c in clients:
            c.close()
    latencies.sort()
    elapsed = state["end"] - state["t0"]
    return {"ops": len(latencies), "errors": state["errors"], "throughput_ops_s": len(latencies) / elapsed,
            "p50_ms": percentile(latencies, 50) * 1000, "p99_ms": percentile(latencies, 99) * 1000}


def java_runs(endpoints, clients, ops, warmup, runs, payload_bytes, warmup_max):
    command = [os.path.join(REPO, "bin", "rrbench"), "run", "--endpoint", ",".join(endpoints),
               "--workload", "claim-complete", "--clients", str(clients), "--ops", str(ops), "--warmup", str(warmup),
               "--runs", str(runs), "--payload-bytes", str(payload_bytes), "--warmup-max", warmup_max,
               "--output", "json"]
    print("java: " + " ".join(command), flush=True)
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    result = json.loads(done.stdout)["results"][0]
    view = lambda r: {"ops": r["ops"], "errors": r["errors"], "throughput_ops_s": r["throughput_ops_s"],  # noqa: E731
                      "p50_ms": r["latency_ms"]["p50"], "p99_ms": r["latency_ms"]["p99"]}
    return [view(r) for r in result["runs"]]


def median_of(runs):
    return {k: statistics.median(r[k] for r in runs) for k in ("throughput_ops_s", "p50_ms", "p99_ms")}


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--threads", type=int, default=16)
    p.add_argument("--ops", type=int, default=1000, help="measured cycles per run (default 1000)")
    p.add_argument("--warmup", type=int, default=200, help="unmeasured cycles at the start of each run (default 200)")
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--payload-bytes", type=int, default=256)
    p.add_argument("--timeout", type=float, default=10.0)
    p.add_argument("--java-warmup-max", default="60s", help="rrbench --warmup-max (default 60s)")
    p.add_argument("--skip-java", action="store_true")
    args = p.parse_args(argv)
    directory = tempfile.mkdtemp(prefix="ringrift-py-bench-")
    cluster = ProcessCluster(directory, extra_args=["--admin-rate-limit", "1000000", "--admin-rate-burst", "1000000"])
    try:
        cluster.wait_ready()
        endpoints = cluster.endpoints
        with ringrift.Cluster(endpoints, sessions=False) as admin:
            for key in ("queue.pending_hard_limit", "queue.pending_soft_limit"):
                admin.set_config(key, "1000000")
        java = [] if args.skip_java else java_runs(endpoints, args.threads, args.ops, args.warmup, args.runs,
                                                   args.payload_bytes, args.java_warmup_max)
        payload = "x" * args.payload_bytes
        python = []
        for r in range(args.runs):
            python.append(python_run(endpoints, args.threads, args.ops, args.warmup, payload, args.timeout))
            print("python run %d: %s" % (r + 1, json.dumps(python[-1])), flush=True)
        for r, run in enumerate(java):
            print("java run %d: %s" % (r + 1, json.dumps(run)), flush=True)
        rows = [("python (ringrift.Cluster)", python)] + ([("java (ClusterClient, rrbench)", java)] if java else [])
        print("\n| client | clients | claim-complete cycles/s (median, runs) | p50 ms | p99 ms |")
        print("|---|---|---|---|---|")
        for name, runs in rows:
            m = median_of(runs)
            print("| %s | %d | **%.0f** (%s) | %.1f | %.1f |" % (
                name, args.threads, m["throughput_ops_s"], ", ".join("%.0f" % r["throughput_ops_s"] for r in runs),
                m["p50_ms"], m["p99_ms"]))
    finally:
        cluster.close()
        shutil.rmtree(directory, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
