"""A cluster of real rrnode processes (bin/rrnode, as ./run starts them) on free loopback ports.

Used by the pytest suite (conftest.py) and the benchmark (clients/python/bench_claim_complete.py).
Needs node/target/rrnode.jar (mvn -B -DskipTests -pl node -am package).
"""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
sys.path.insert(0, os.path.join(REPO, "clients", "python", "src"))

import ringrift  # noqa: E402

START_TIMEOUT = 90.0


def wait_until(condition, timeout, what, interval=0.05):
    """Polls ``condition`` until it returns something other than None or False (returned; 0 and [] count)
    or ``timeout`` seconds pass (AssertionError)."""
    deadline = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < deadline:
        try:
            value = condition()
            if value is not None and value is not False:
                return value
        except Exception as e:  # the condition may fail while the cluster settles
            last_error = e
        time.sleep(interval)
    raise AssertionError("timed out after %.1f s waiting for %s%s" % (
        timeout, what, "" if last_error is None else " (last error: %r)" % last_error))


def free_ports(count):
    sockets = []
    try:
        for _ in range(count):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind(("127.0.0.1", 0))
            sockets.append(s)
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


class ProcessCluster:
    def __init__(self, directory, size=3, extra_args=(), tls=None):
        """``tls``: a ringrift.Tls the test reaches the nodes with (the nodes get --tls-dir in extra_args)."""
        self.dir = directory
        self.extra_args = list(extra_args)
        self.tls = tls
        self.size = size
        ports = free_ports(3 * size)
        self.raft_ports = ports[:size]
        self.admin_ports = ports[size:2 * size]
        self.http_ports = ports[2 * size:]
        self.processes = [None] * size
        jar = os.path.join(REPO, "node", "target", "rrnode.jar")
        if not os.path.exists(jar):
            raise RuntimeError("%s is missing: build it first (mvn -B -DskipTests -pl node -am package)" % jar)
        for i in range(size):
            self.start(i)

    def id(self, i):
        return "n%d" % (i + 1)

    def endpoint(self, i):
        return "127.0.0.1:%d" % self.admin_ports[i]

    @property
    def endpoints(self):
        return [self.endpoint(i) for i in range(self.size)]

    def start(self, i):
        data = os.path.join(self.dir, self.id(i))
        os.makedirs(data, exist_ok=True)
        peers = ",".join("%s=127.0.0.1:%d" % (self.id(k), self.raft_ports[k]) for k in range(self.size))
        command = [os.path.join(REPO, "bin", "rrnode"), "--id", self.id(i), "--peers", peers, "--cluster", "py-it",
                   "--admin-port", str(self.admin_ports[i]), "--http-port", str(self.http_ports[i]),
                   "--data-dir", data, "--no-populate", "--heartbeat-ms", "1000", "--leader-tick-ms", "500",
                   "--reaper-grace-ms", "1000"] + self.extra_args
        env = dict(os.environ)
        env.setdefault("RRNODE_JAVA_OPTS", "-Xmx256m -XX:TieredStopAtLevel=1")
        with open(os.path.join(data, "node.log"), "ab") as log:
            self.processes[i] = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)

    def kill(self, i):
        """kill -9: no shutdown hook, no goodbye to the peers."""
        process = self.processes[i]
        process.send_signal(signal.SIGKILL)
        process.wait(30)
        self.processes[i] = None

    def running(self, i):
        return self.processes[i] is not None and self.processes[i].poll() is None

    def ready(self, i):
        if self.tls is not None:
            # Every listener speaks mutual TLS: ask the admin API instead of GET /health/ready.
            try:
                with ringrift.Cluster([self.endpoint(i)], tls=self.tls, timeout=2, sessions=False) as probe:
                    return probe.status_of(self.endpoint(i)).leader_ready
            except Exception:
                return False
        try:
            with urllib.request.urlopen("http://127.0.0.1:%d/health/ready" % self.http_ports[i], timeout=2) as r:
                return r.status == 200
        except Exception:
            return False

    def wait_ready(self, timeout=START_TIMEOUT):
        """Until every running node is ready and they agree on one leader; returns the leader's index."""
        def settled():
            for i in range(self.size):
                if self.processes[i] is not None and self.processes[i].poll() is not None:
                    raise RuntimeError("%s exited; see %s" % (self.id(i), os.path.join(self.dir, self.id(i), "node.log")))
            if not any(self.ready(i) for i in range(self.size) if self.running(i)):
                return None
            return self.leader_index()
        try:
            return wait_until(settled, timeout, "a ready leader", interval=0.2)
        except AssertionError as e:
            raise AssertionError("%s\n%s" % (e, self.diagnosis())) from None

    def diagnosis(self):
        """Each node's process state, readiness and the tail of its log, for a failed wait."""
        lines = []
        for i in range(self.size):
            lines.append("%s: running=%s ready=%s" % (self.id(i), self.running(i), self.ready(i)))
            try:
                with open(os.path.join(self.dir, self.id(i), "node.log"), errors="replace") as log:
                    lines.extend("  | " + line.rstrip() for line in log.readlines()[-15:])
            except OSError as e:
                lines.append("  (no log: %s)" % e)
        return "\n".join(lines)

    def leader_index(self):
        """The index of the node that all running nodes name as leader (None while they disagree)."""
        leaders = set()
        with ringrift.Cluster(self.endpoints, tls=self.tls, timeout=2, sessions=False) as probe:
            for i in range(self.size):
                if self.running(i):
                    status = probe.status_of(self.endpoint(i))
                    leaders.add(status.leader_id)
        if len(leaders) != 1 or "" in leaders:
            return None
        return int(leaders.pop()[1:]) - 1

    def close(self):
        for i in range(self.size):
            if self.processes[i] is not None:
                self.processes[i].send_signal(signal.SIGKILL)
                self.processes[i].wait(30)
                self.processes[i] = None


