"""A real 3-node cluster of rrnode processes for the whole test session (process_cluster.py).

Nodes run on free loopback ports with data in a temp directory; each node's log is
<tmp>/nN/node.log (kept when RINGRIFT_KEEP_TEST_DIR=1).
"""

import os
import shutil
import tempfile

import pytest

from process_cluster import REPO, ProcessCluster, wait_until  # noqa: F401 (re-exported to the tests)

import ringrift  # noqa: E402

@pytest.fixture(scope="session")
def process_cluster():
    directory = tempfile.mkdtemp(prefix="ringrift-py-it-")
    cluster = ProcessCluster(directory)
    try:
        cluster.wait_ready()
        with ringrift.Cluster(cluster.endpoints, timeout=10) as admin:
            # Failed items are claimable again at once (default: 30 s later), so retries are testable.
            admin.set_config("queue.retry_backoff_base_ms", "0")
        yield cluster
    finally:
        cluster.close()
        if os.environ.get("RINGRIFT_KEEP_TEST_DIR") != "1":
            shutil.rmtree(directory, ignore_errors=True)
        else:
            print("kept the test cluster's directory " + directory)


@pytest.fixture
def cluster(process_cluster):
    """A client of the session's cluster (all nodes restarted and settled first)."""
    for i in range(process_cluster.size):
        if not process_cluster.running(i):
            process_cluster.start(i)
    process_cluster.wait_ready()
    client = ringrift.Cluster(process_cluster.endpoints, timeout=10)
    yield client
    client.close()
