"""The client over mutual TLS: a 3-node cluster with certificates from rrctl certs init, and the roles they carry."""

import os
import shutil
import subprocess
import tempfile

import pytest

import ringrift
from ringrift import errors
from process_cluster import REPO, ProcessCluster


@pytest.fixture(scope="module")
def tls_cluster():
    directory = tempfile.mkdtemp(prefix="ringrift-py-tls-")
    certs = os.path.join(directory, "certs")
    subprocess.run([os.path.join(REPO, "bin", "rrctl"), "certs", "init", "--dir", certs, "--nodes", "n1,n2,n3",
                    "--workers", "pyworker"], check=True, capture_output=True)
    cluster = ProcessCluster(os.path.join(directory, "cluster"), extra_args=["--tls-dir", certs],
                             tls=ringrift.Tls.in_dir(certs, "admin"))
    try:
        cluster.wait_ready()
        yield cluster, certs
    finally:
        cluster.close()
        shutil.rmtree(directory, ignore_errors=True)


def test_operator_enqueues_and_worker_claims_over_mutual_tls(tls_cluster):
    cluster, certs = tls_cluster
    with ringrift.Cluster(cluster.endpoints, tls=ringrift.Tls.in_dir(certs, "operator"), timeout=10) as operator, \
            ringrift.Cluster(cluster.endpoints, tls=ringrift.Tls.in_dir(certs, "pyworker"), timeout=10) as worker:
        item_id = operator.enqueue("selfplay", {"games": 1}, priority=100).item.id
        [item] = worker.claim("pyworker", "selfplay", node_id="pyworker")
        assert item.id == item_id
        assert worker.complete(item, {"ok": True}).state == ringrift.queue_pb2.WORK_STATE_COMPLETED

        with pytest.raises(errors.PermissionDenied):
            worker.enqueue("selfplay")  # a worker certificate may not enqueue (operate role)


def test_plaintext_client_is_refused_by_a_tls_cluster(tls_cluster):
    cluster, _ = tls_cluster
    with ringrift.Cluster(cluster.endpoints, timeout=2) as plaintext:
        with pytest.raises(errors.Unavailable):
            plaintext.stats()


def test_tls_files_are_checked_with_the_field_named(tmp_path):
    with pytest.raises(ValueError, match="tls.ca"):
        ringrift.Tls(str(tmp_path / "missing.pem"), str(tmp_path / "c.pem"), str(tmp_path / "k.key"))
