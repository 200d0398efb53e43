#!/usr/bin/env python3
"""Enqueues a round-robin tournament (one tournament item per pairing, all in one group) and waits
for the results, then prints the standings. Matches run on whatever workers claim tournament
items; --workers N (default 2) also runs N in this process, since ./run's nodes do not.

    PYTHONPATH=clients/python/src /usr/bin/python3 examples/python/tournament.py --models a,b,c
"""

import argparse
import itertools
import json
import random
import sys
import threading
import time
import uuid

import ringrift

TERMINAL = {ringrift.queue_pb2.WORK_STATE_COMPLETED, ringrift.queue_pb2.WORK_STATE_FAILED,
            ringrift.queue_pb2.WORK_STATE_TIMEOUT, ringrift.queue_pb2.WORK_STATE_CANCELLED}


def play_match(job):
    match = job.json()
    rng = random.Random(job.id)
    a_wins = rng.randint(0, match["games"])
    return {"a": match["a"], "b": match["b"], "a_wins": a_wins, "b_wins": match["games"] - a_wins}


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--endpoints", default="127.0.0.1:9770,127.0.0.1:9771,127.0.0.1:9772")
    p.add_argument("--tls-dir")
    p.add_argument("--tls-name", default="operate")
    p.add_argument("--models", default="alpha,beta,gamma", help="models to pair up, comma separated")
    p.add_argument("--games", type=int, default=10, help="games per pairing")
    p.add_argument("--board", default="hex8")
    p.add_argument("--workers", type=int, default=2, help="tournament workers to run in this process (default 2)")
    p.add_argument("--wait", type=float, default=300, help="seconds to wait for every match (default 300)")
    args = p.parse_args(argv)
    models = [m for m in args.models.split(",") if m]
    if len(models) < 2:
        p.error("--models: at least two models are needed")
    tls = ringrift.Tls.in_dir(args.tls_dir, args.tls_name) if args.tls_dir else None
    tournament = "t-" + uuid.uuid4().hex[:8]
    with ringrift.Cluster(args.endpoints, tls=tls, client_name="tournament.py") as cluster:
        pairings = list(itertools.combinations(models, 2))
        results = cluster.enqueue_batch([
            {"type": "tournament", "payload": {"tournament": tournament, "a": a, "b": b, "games": args.games,
                                               "board": args.board},
             "group": tournament, "priority": 80, "key": "%s-%s-%s" % (tournament, a, b)} for a, b in pairings])
        ids = [r.item.id for r in results]
        print("tournament %s: %d matches enqueued (%s)" % (tournament, len(ids), " ".join(ids)), flush=True)

        workers = [ringrift.Worker(cluster, ["tournament"], play_match, worker_id="%s-w%d" % (tournament, i),
                                   handle_signals=False, idle_backoff=(0.1, 1.0)) for i in range(args.workers)]
        threads = [threading.Thread(target=w.run, daemon=True) for w in workers]
        for t in threads:
            t.start()
        deadline = time.monotonic() + args.wait
        try:
            while True:
                items = [cluster.get(i) for i in ids]
                done = [i for i in items if i.state in TERMINAL]
                if len(done) == len(items):
                    break
                if time.monotonic() > deadline:
                    print("tournament %s: only %d of %d matches finished within %.0f s" % (
                        tournament, len(done), len(items), args.wait), file=sys.stderr)
                    return 1
                time.sleep(0.5)
        finally:
            for w in workers:
                w.stop()
            for t in threads:
                t.join(30)

        standings = {m: 0 for m in models}
        for item in items:
            if item.state != ringrift.queue_pb2.WORK_STATE_COMPLETED:
                print("match %s: %s (%s)" % (item.id, ringrift.work_state_name(item.state), item.last_error))
                continue
            r = json.loads(item.result)
            standings[r["a"]] += r["a_wins"]
            standings[r["b"]] += r["b_wins"]
            print("match %s: %s %d - %d %s" % (item.id, r["a"], r["a_wins"], r["b_wins"], r["b"]))
        for model, wins in sorted(standings.items(), key=lambda kv: -kv[1]):
            print("%-12s %d wins" % (model, wins))
    return 0


if __name__ == "__main__":
    sys.exit(main())
