"""``Worker``: a claim loop that runs a handler for each claimed item, with its lease kept alive.

    def selfplay(job):
        games = play(job.json()["games"])
        return {"games": games}          # bytes, str, or JSON-serializable: the item's result

    Worker(cluster, ["selfplay"], selfplay, capabilities=["gpu"]).run()

- One item at a time per Worker (run several Workers, e.g. in threads, for more).
- While the handler runs, a background thread extends the lease every ``lease_ms / 3``; a
  leader change or a lost node only delays an extend (it is resent within the client's
  deadline, exactly once through the session). When the cluster says the lease is gone (stale
  token, fenced, not found), ``job.lease_lost`` is set and the result is not sent.
- The handler's return value completes the item; an exception fails the attempt with the
  exception's text (the cluster retries it up to its max_attempts).
- SIGTERM (when ``run`` is on the main thread) and KeyboardInterrupt stop the handler and
  release the held item, so another worker can claim it at once instead of after its lease.
- An empty queue or an unavailable cluster backs off, doubling from ``idle_backoff[0]`` up to
  ``idle_backoff[1]`` seconds.
"""

import json
import logging
import os
import signal
import socket
import threading
import time

from . import errors
from .client import work_type

LOG = logging.getLogger("ringrift.worker")


class Terminated(BaseException):
    """Raised in the worker's thread by SIGTERM; a BaseException so that handlers' ``except Exception`` lets it pass."""


class Job:
    """A claimed item as the handler sees it."""

    def __init__(self, item):
        self.item = item
        self.id = item.id
        self.token = item.lease
        self.payload = item.payload
        self.attempts = item.attempts
        self.lease_lost = threading.Event()
        self.done = threading.Event()

    def text(self):
        return self.payload.decode("utf-8")

    def json(self):
        return json.loads(self.payload.decode("utf-8")) if self.payload else None

    def token_text(self):
        return "%d.%d" % (self.token.term, self.token.sequence)


class Worker:
    """Claims items of ``types`` from ``cluster`` and runs ``handler(job)`` on each; see the module doc."""

    def __init__(self, cluster, types, handler, worker_id=None, node_id=None, capabilities=(), lease_ms=30_000,
                 idle_backoff=(0.1, 5.0), max_items=None, mark_running=True, handle_signals=True):
        if isinstance(types, (str, int)):
            types = [types]
        self.types = [work_type(t) for t in types]
        if not self.types:
            raise ValueError("types: at least one work type is required")
        if lease_ms < 1000:
            raise ValueError("lease_ms: %d must be >= 1000" % lease_ms)
        if not (0 < idle_backoff[0] <= idle_backoff[1]):
            raise ValueError("idle_backoff: %r must be (first, max) with 0 < first <= max" % (idle_backoff,))
        if max_items is not None and max_items < 1:
            raise ValueError("max_items: %r must be >= 1 or None" % max_items)
        self.cluster = cluster
        self.handler = handler
        self.worker_id = worker_id or "%s-py-%d" % (socket.gethostname(), os.getpid())
        self.node_id = node_id
        self.capabilities = list(capabilities)
        self.lease_ms = int(lease_ms)
        self.idle_backoff = idle_backoff
        self.max_items = max_items
        self.mark_running = mark_running
        self.handle_signals = handle_signals
        self.completed = 0
        self.failed = 0
        self.lost = 0
        self.released = 0
        self._stop = threading.Event()
        self._held = None

    @property
    def held(self):
        """The job being run, if any."""
        return self._held

    def stop(self):
        """Stops claiming; ``run`` returns after the job in hand (if any) is finished."""
        self._stop.set()

    def run(self):
        """Claims and runs items until ``stop``, ``max_items`` completed, or SIGTERM; returns the number completed."""
        previous = None
        if self.handle_signals and threading.current_thread() is threading.main_thread():
            previous = signal.signal(signal.SIGTERM, self._on_sigterm)
        try:
            self._loop()
        except Terminated:
            LOG.info("worker %s stopped by SIGTERM after %d completed", self.worker_id, self.completed)
        finally:
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)
        return self.completed

    def _on_sigterm(self, signum, frame):
        self._stop.set()
        raise Terminated()

    def _loop(self):
        pause = self.idle_backoff[0]
        while not self._stop.is_set() and (self.max_items is None or self.completed < self.max_items):
            try:
                items = self.cluster.claim(self.worker_id, self.types, 1, self.lease_ms, self.node_id, self.capabilities)
            except (errors.Unavailable, errors.Backpressure) as e:
                LOG.info("worker %s claim failed, retrying in %.1f s: %s", self.worker_id, pause, e)
                items = None
            if not items:
                self._stop.wait(pause)
                pause = min(pause * 2, self.idle_backoff[1])
                continue
            pause = self.idle_backoff[0]
            self._run(Job(items[0]))

    def _run(self, job):
        self._held = job
        keeper = threading.Thread(target=self._keep_lease, args=(job,), name="lease-" + job.id, daemon=True)
        try:
            if self.mark_running:
                self._refresh(job, self.cluster.start(job.item, job.token))
            keeper.start()
            LOG.info("worker %s running item %s attempt %d token %s", self.worker_id, job.id, job.attempts,
                     job.token_text())
            try:
                result = self.handler(job)
            except Exception as e:
                self._finish(job, keeper)
                self._fail(job, e)
                return
            self._finish(job, keeper)
            if job.lease_lost.is_set():
                self.lost += 1
                LOG.warning("worker %s lost the lease of item %s; its result is dropped", self.worker_id, job.id)
                return
            self.cluster.complete(job.id, result, job.token)
            self.completed += 1
            LOG.info("worker %s completed item %s", self.worker_id, job.id)
        except (errors.StaleToken, errors.Fenced, errors.NotFound, errors.FailedPrecondition) as e:
            self._finish(job, keeper)
            self.lost += 1
            LOG.warning("worker %s lost item %s: %s", self.worker_id, job.id, e)
        except errors.Unavailable as e:
            # The lease runs out and the reaper returns the item to pending; nothing else to do.
            self._finish(job, keeper)
            LOG.warning("worker %s could not finish item %s, the cluster is unavailable: %s", self.worker_id, job.id, e)
        except BaseException:
            self._finish(job, keeper)
            self._release(job)
            raise
        finally:
            self._held = None

    def _finish(self, job, keeper):
        job.done.set()
        if keeper.is_alive():
            keeper.join()

    def _fail(self, job, exception):
        text = "%s: %s" % (type(exception).__name__, exception)
        try:
            self.cluster.fail(job.id, text[:1000], job.token)
            self.failed += 1
            LOG.info("worker %s failed item %s: %s", self.worker_id, job.id, text)
        except errors.ClusterError as e:
            LOG.warning("worker %s could not fail item %s: %s", self.worker_id, job.id, e)

    def _release(self, job):
        if job.lease_lost.is_set():
            return
        try:
            self.cluster.release(job.id, job.token)
            self.released += 1
            LOG.info("worker %s released item %s", self.worker_id, job.id)
        except errors.ClusterError as e:
            LOG.warning("worker %s could not release item %s (its lease will expire): %s", self.worker_id, job.id, e)

    @staticmethod
    def _refresh(job, item):
        if item is not None and item.HasField("lease") and item.lease.sequence:
            job.token = item.lease

    def _keep_lease(self, job):
        interval = self.lease_ms / 3000.0
        while not job.done.wait(interval):
            try:
                self._refresh(job, self.cluster.extend(job.id, job.token, self.lease_ms))
            except (errors.StaleToken, errors.Fenced, errors.NotFound, errors.FailedPrecondition) as e:
                LOG.warning("worker %s: the lease of item %s is gone: %s", self.worker_id, job.id, e)
                job.lease_lost.set()
                return
            except errors.ClusterError as e:
                # Unavailable or backpressure: the next extend (a third of a lease later) tries again.
                LOG.info("worker %s could not extend item %s yet: %s", self.worker_id, job.id, e)
