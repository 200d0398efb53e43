"""Every Cluster call against a real 3-node process cluster, the error mapping, leader following, failover and sessions."""

import json
import uuid

import grpc
import pytest

import ringrift
from ringrift import errors
from ringrift.client import parse_endpoints
from process_cluster import wait_until

PENDING = ringrift.queue_pb2.WORK_STATE_PENDING
CLAIMED = ringrift.queue_pb2.WORK_STATE_CLAIMED
RUNNING = ringrift.queue_pb2.WORK_STATE_RUNNING
COMPLETED = ringrift.queue_pb2.WORK_STATE_COMPLETED
FAILED = ringrift.queue_pb2.WORK_STATE_FAILED


def unique(prefix):
    return "%s-%s" % (prefix, uuid.uuid4().hex[:8])


def test_status_and_nodes(cluster, process_cluster):
    status = cluster.status()
    assert status.leader_id in {"n1", "n2", "n3"}
    assert status.role in {"LEADER", "FOLLOWER"}
    assert status.term >= 1
    # Every node registers itself by heartbeat (every second here).
    nodes = wait_until(lambda: (lambda n: n if len(n) == 3 else None)(cluster.nodes()), 15, "three registered nodes")
    assert sorted(n.node_id for n in nodes) == ["n1", "n2", "n3"]
    assert cluster.status_of(process_cluster.endpoint(2)).node_id == "n3"


def test_enqueue_get_list_stats(cluster):
    key = unique("key")
    first = cluster.enqueue("tournament", {"board": "hex8"}, priority=90, key=key, group=unique("group"),
                            target_node="n9", excluded_nodes=["n8"], capabilities=["gpu"], max_attempts=5,
                            timeout_ms=60_000)
    assert first.created
    item = cluster.get(first.item.id)
    assert item.type == ringrift.queue_pb2.WORK_TYPE_TOURNAMENT
    assert json.loads(item.payload) == {"board": "hex8"}
    assert (item.priority, item.max_attempts, item.timeout_ms, item.idempotency_key) == (90, 5, 60_000, key)
    assert (item.target_node, list(item.excluded_nodes), list(item.required_capabilities)) == ("n9", ["n8"], ["gpu"])
    assert item.state == PENDING

    again = cluster.enqueue("tournament", {"board": "hex8"}, key=key)
    assert not again.created and again.item.id == first.item.id

    page = cluster.list(states=["pending"], type="tournament", limit=500)
    assert first.item.id in [i.id for i in page.items]
    assert all(i.state == PENDING and i.type == ringrift.queue_pb2.WORK_TYPE_TOURNAMENT for i in page.items)

    stats = cluster.stats()
    assert stats.pending >= 1 and stats.pending_by_type["tournament"] >= 1
    cluster.cancel(first.item.id, "test done")
    assert cluster.get(first.item.id).state == ringrift.queue_pb2.WORK_STATE_CANCELLED


def test_enqueue_batch_is_all_or_nothing(cluster):
    results = cluster.enqueue_batch([{"type": "validation", "payload": "a"}, {"type": "validation", "payload": b"b"}])
    assert [r.created for r in results] == [True, True]
    assert [cluster.get(r.item.id).payload for r in results] == [b"a", b"b"]
    before = cluster.stats().pending
    with pytest.raises((errors.InvalidArgument, errors.NotFound)):
        cluster.enqueue_batch([{"type": "validation"}, {"type": "validation", "depends_on": ["w-no-such-item"]}])
    assert cluster.stats().pending == before
    for r in results:
        cluster.cancel(r.item.id)


def test_claim_start_extend_complete(cluster):
    enqueued = cluster.enqueue("gauntlet", "job-1", priority=100).item
    worker = unique("w")
    [item] = cluster.claim(worker, ["gauntlet"], lease_ms=5_000)
    assert item.id == enqueued.id and item.state == CLAIMED and item.claimed_by == worker
    assert cluster.start(item).state == RUNNING
    extended = cluster.extend(item, lease_ms=20_000)
    assert extended.lease_expires_ms > item.lease_expires_ms
    done = cluster.complete(item.id, {"score": 3}, token="%d.%d" % (item.lease.term, item.lease.sequence))
    assert done.state == COMPLETED
    stored = cluster.get(item.id)
    assert stored.state == COMPLETED and json.loads(stored.result) == {"score": 3} and stored.attempts == 1


def test_fail_retries_then_dead_letters_and_release_returns_to_pending(cluster):
    item_id = cluster.enqueue("gauntlet", priority=100, max_attempts=2).item.id
    [item] = cluster.claim(unique("w"), "gauntlet")
    assert item.id == item_id
    failed = cluster.fail(item, "RuntimeError: boom")
    assert failed.last_error == "RuntimeError: boom" and failed.state in (PENDING, FAILED)
    wait_until(lambda: cluster.get(item_id).state == PENDING, 10, "the retry to be claimable")

    [item] = wait_until(lambda: cluster.claim(unique("w"), "gauntlet") or None, 10, "the retry claim")
    released = cluster.release(item)
    assert released.state == PENDING and released.attempts == item.attempts - 1  # a release is not an attempt

    [item] = wait_until(lambda: cluster.claim(unique("w"), "gauntlet") or None, 10, "a claim after release")
    assert cluster.fail(item, "permanent", permanent=True).state == FAILED


def test_dependencies_targeting_and_capabilities(cluster):
    first = cluster.enqueue("data_merge", priority=100).item
    second = cluster.enqueue("data_merge", priority=100, depends_on=[first.id]).item
    targeted = cluster.enqueue("data_sync", target_node="node-x", priority=100).item
    gpu = cluster.enqueue("gpu_cmaes", capabilities=["gpu"], priority=100).item

    assert [i.id for i in cluster.claim("wa", "data_merge", max_items=5)] == [first.id]
    assert cluster.claim("wb", "data_sync", node_id="node-y") == []
    assert [i.id for i in cluster.claim("wb", "data_sync", node_id="node-x")] == [targeted.id]
    assert cluster.claim("wc", "gpu_cmaes", capabilities=["cpu"]) == []
    [claimed_gpu] = cluster.claim("wc", "gpu_cmaes", capabilities=["cpu", "gpu"])
    assert claimed_gpu.id == gpu.id

    first_claimed = cluster.get(first.id)
    cluster.complete(first_claimed, "ok")
    [dependent] = cluster.claim("wa", "data_merge")
    assert dependent.id == second.id
    for item in (dependent, claimed_gpu):
        cluster.complete(item)
    cluster.complete(cluster.get(targeted.id))


def test_errors_map_to_typed_exceptions(cluster):
    with pytest.raises(errors.NotFound) as not_found:
        cluster.get("w-999999999")
    assert not_found.value.kind == "NOT_FOUND" and not_found.value.code == grpc.StatusCode.NOT_FOUND

    cluster.enqueue("hyperparam_sweep", priority=100)
    [item] = cluster.claim(unique("w"), "hyperparam_sweep")
    with pytest.raises(errors.StaleToken) as stale:
        cluster.complete(item.id, token=(item.lease.term, item.lease.sequence + 1000))
    assert isinstance(stale.value, errors.Rejected) and stale.value.code == grpc.StatusCode.FAILED_PRECONDITION
    cluster.complete(item)

    with pytest.raises(errors.InvalidArgument) as invalid:
        cluster.claim(unique("w"), "selfplay", max_items=100_000)
    assert "max_items" in str(invalid.value)
    with pytest.raises(errors.InvalidArgument, match="item_id"):
        cluster.get("not-an-id")

    # A per-type pending cap of 1: the second enqueue is refused with backpressure.
    cluster.set_config("queue.pending_cap.validation", "1")
    try:
        pending = cluster.stats().pending_by_type["validation"]
        kept = [cluster.enqueue("validation").item.id] if pending == 0 else []
        with pytest.raises(errors.Backpressure) as shed:
            cluster.enqueue("validation")
        assert shed.value.code == grpc.StatusCode.RESOURCE_EXHAUSTED and "queue.pending_cap.validation" in str(shed.value)
    finally:
        cluster.set_config("queue.pending_cap.validation", "0")
    for item_id in kept:
        cluster.cancel(item_id)

    with pytest.raises(ValueError, match="priority"):
        cluster.enqueue("selfplay", priority=101)
    with pytest.raises(ValueError, match="work type 'chess'"):
        cluster.enqueue("chess")
    with pytest.raises(ValueError, match="host:port"):
        parse_endpoints("localhost")


def test_unavailable_within_the_deadline():
    with ringrift.Cluster(["127.0.0.1:1", "127.0.0.1:2"], timeout=1.0) as dead:
        with pytest.raises(errors.Unavailable) as down:
            dead.stats()
        assert not down.value.outcome_unknown and "127.0.0.1:1" in str(down.value)
        with pytest.raises(errors.Unavailable):
            dead.claim("w", "selfplay")


class FakeRpcError(grpc.RpcError):
    def __init__(self, code, details, trailers=()):
        self._code, self._details, self._trailers = code, details, trailers

    def code(self):
        return self._code

    def details(self):
        return self._details

    def trailing_metadata(self):
        return self._trailers

    def initial_metadata(self):
        return ()


@pytest.mark.parametrize("code,reject,expected", [
    (grpc.StatusCode.FAILED_PRECONDITION, "STALE_TOKEN", errors.StaleToken),
    (grpc.StatusCode.FAILED_PRECONDITION, "FENCED", errors.Fenced),
    (grpc.StatusCode.FAILED_PRECONDITION, "SESSION_EXPIRED", errors.SessionExpired),
    (grpc.StatusCode.FAILED_PRECONDITION, None, errors.FailedPrecondition),
    (grpc.StatusCode.ABORTED, None, errors.FailedPrecondition),
    (grpc.StatusCode.INVALID_ARGUMENT, None, errors.InvalidArgument),
    (grpc.StatusCode.OUT_OF_RANGE, None, errors.InvalidArgument),
    (grpc.StatusCode.NOT_FOUND, "NOT_FOUND", errors.NotFound),
    (grpc.StatusCode.RESOURCE_EXHAUSTED, "BACKPRESSURE", errors.Backpressure),
    (grpc.StatusCode.UNAVAILABLE, None, errors.Unavailable),
    (grpc.StatusCode.DEADLINE_EXCEEDED, None, errors.Unavailable),
    (grpc.StatusCode.PERMISSION_DENIED, None, errors.PermissionDenied),
    (grpc.StatusCode.UNAUTHENTICATED, None, errors.PermissionDenied),
    (grpc.StatusCode.INTERNAL, None, errors.ClusterError),
])
def test_error_table_matches_the_java_error_kinds(code, reject, expected):
    trailers = (("rr-reject-code", reject),) if reject else ()
    error = errors.translate(FakeRpcError(code, "why", trailers), "h:1")
    assert type(error) is expected


def test_never_sent_only_for_connect_failures_and_not_proposed():
    assert errors.never_sent(FakeRpcError(grpc.StatusCode.UNAVAILABLE, "failed to connect to all addresses"))
    assert errors.never_sent(FakeRpcError(grpc.StatusCode.UNAVAILABLE, "x", (("rr-not-proposed", "true"),)))
    assert not errors.never_sent(FakeRpcError(grpc.StatusCode.UNAVAILABLE, "Socket closed"))
    assert not errors.never_sent(FakeRpcError(grpc.StatusCode.DEADLINE_EXCEEDED, "failed to connect"))


def test_follows_the_leader_and_fails_over(process_cluster, cluster):
    leader = process_cluster.wait_ready()
    follower = (leader + 1) % 3
    # The first endpoint is dead and the second a follower: the call still answers, and the
    # reply's leader hint makes the next call go straight to the leader.
    endpoints = ["127.0.0.1:1", process_cluster.endpoint(follower)]
    with ringrift.Cluster(endpoints, timeout=5) as client:
        client.stats()
        assert client.leader == ("n%d" % (leader + 1), process_cluster.endpoint(leader))
        assert client._call_order(True)[0] == process_cluster.endpoint(leader)
        client.enqueue("validation", key=unique("k"))


def test_session_resend_applies_once(cluster, process_cluster):
    """A write resent with the same session seq (its reply lost) is answered from the stored result, not applied again."""
    for _ in range(2):
        cluster.enqueue("training", priority=100)
    session_id = cluster.open_session()
    assert session_id > 0
    sessions = cluster.list_sessions(100)
    assert session_id in [s.session_id for s in sessions.sessions]

    session = cluster._session
    seq = session.begin()
    request = ringrift.commands_pb2.ClaimRequest(worker_id="resender", max_items=1,
                                                 work_types=[ringrift.queue_pb2.WORK_TYPE_TRAINING])
    answers = []
    for i in range(3):  # the same write to every node, as a client that lost each reply would send it
        answers.append(cluster._invoke(process_cluster.endpoint(i), "Claim", request, 5, session.headers(seq)))
    session.finish(seq)
    assert len(answers[0].items) == 1
    assert all(a == answers[0] for a in answers)
    held = cluster.list(states=["claimed"], type="training", limit=500).items
    assert [i.id for i in held if i.claimed_by == "resender"] == [answers[0].items[0].id]
    cluster.complete(answers[0].items[0])


def test_without_sessions_writes_at_most_once(process_cluster):
    with ringrift.Cluster(process_cluster.endpoints, timeout=5, sessions=False) as client:
        assert client.open_session() is None
        client.enqueue("training", priority=100)
        [item] = client.claim(unique("w"), "training")
        assert client.complete(item).state == COMPLETED
        assert client._session is None
