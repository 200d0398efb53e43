"""watch_events against a real 3-node process cluster: live events, and resume after its node dies."""

import threading

import ringrift
from process_cluster import wait_until


def test_watch_resumes_after_its_node_is_killed(process_cluster, cluster):
    leader = process_cluster.wait_ready()
    watched = (leader + 1) % 3  # a follower: the watch must move on, the cluster keeps its leader
    others = [process_cluster.endpoint(i) for i in range(3) if i != watched]
    watcher_client = ringrift.Cluster([process_cluster.endpoint(watched)] + others, timeout=5)
    stop = threading.Event()
    seen = []
    # Pinned here, before anything is cancelled, so that the watch cannot start after the first event.
    after_seq = max([e.seq for e in cluster.recent_events(limit=1)], default=0)

    def watch():
        for event in watcher_client.watch_events(after_seq=after_seq, type="WORK_CANCELLED", stop=stop):
            seen.append(event)

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    try:
        def cancel_one():
            item_id = cluster.enqueue("validation", priority=1).item.id
            cluster.cancel(item_id, "watch test")
            return item_id

        before = [cancel_one() for _ in range(3)]
        wait_until(lambda: {e.subject for e in seen} >= set(before), 20, "the events before the kill")

        process_cluster.kill(watched)
        after = [cancel_one() for _ in range(3)]
        wait_until(lambda: {e.subject for e in seen} >= set(after), 30, "the events after the kill")

        seqs = [e.seq for e in seen]
        assert seqs == sorted(set(seqs)), "an event was yielded twice or out of order"
        assert all(e.type == "WORK_CANCELLED" for e in seen)
    finally:
        stop.set()
        thread.join(10)
        watcher_client.close()
    assert not thread.is_alive()
