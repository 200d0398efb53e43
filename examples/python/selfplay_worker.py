#!/usr/bin/env python3
"""A selfplay worker: claims selfplay items from a RingRift cluster, "plays" the games, completes
each item with a result, and stops after --max-items completed items (or on SIGTERM / Ctrl-C,
releasing the item in hand so that another worker takes it at once).

    PYTHONPATH=clients/python/src /usr/bin/python3 examples/python/selfplay_worker.py --max-items 5
"""

import argparse
import logging
import random
import sys
import time

import ringrift


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--endpoints", default="127.0.0.1:9770,127.0.0.1:9771,127.0.0.1:9772",
                   help="admin gRPC endpoints, comma separated (default: ./run's dev cluster)")
    p.add_argument("--tls-dir", help="mutual TLS: directory with ca.pem, NAME.pem and NAME.key (rrctl certs init)")
    p.add_argument("--tls-name", default="worker", help="certificate name in --tls-dir (default: worker)")
    p.add_argument("--tls-server-name", help="name the nodes' certificates are checked against (default: the host)")
    p.add_argument("--types", default="selfplay", help="work types to claim, comma separated (default: selfplay)")
    p.add_argument("--capabilities", default="", help="this worker's capabilities, comma separated (e.g. gpu,cpu)")
    p.add_argument("--worker-id", help="worker id (default: HOST-py-PID)")
    p.add_argument("--node-id", help="the node this worker runs on, for targeting (default: the worker id)")
    p.add_argument("--max-items", type=int, help="stop after this many completed items (default: run until stopped)")
    p.add_argument("--job-seconds", type=float, default=0.5, help="simulated play time per item (default: 0.5)")
    p.add_argument("--lease-ms", type=int, default=30_000, help="lease length, extended every third (default: 30000)")
    p.add_argument("--timeout", type=float, default=10.0, help="deadline of one cluster call in seconds (default: 10)")
    return p.parse_args(argv)


def play(job, seconds):
    """Stands in for real selfplay: a deterministic pseudo-game record per item."""
    time.sleep(seconds)
    rng = random.Random(job.id)
    games = 8
    wins = rng.randint(0, games)
    return {"item": job.id, "games": games, "wins": wins, "losses": games - wins}


def main(argv=None):
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    tls = None
    if args.tls_dir:
        tls = ringrift.Tls.in_dir(args.tls_dir, args.tls_name, server_name=args.tls_server_name)
    with ringrift.Cluster(args.endpoints, tls=tls, timeout=args.timeout, client_name="selfplay_worker.py") as cluster:
        worker = ringrift.Worker(
            cluster, [t for t in args.types.split(",") if t], lambda job: play(job, args.job_seconds),
            worker_id=args.worker_id, node_id=args.node_id,
            capabilities=[c for c in args.capabilities.split(",") if c], lease_ms=args.lease_ms,
            max_items=args.max_items)
        try:
            completed = worker.run()
        except KeyboardInterrupt:
            completed = worker.completed
        print("selfplay_worker: %d completed, %d failed, %d released (worker %s)" % (
            completed, worker.failed, worker.released, worker.worker_id), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
