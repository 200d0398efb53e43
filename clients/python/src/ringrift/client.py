"""``Cluster``: a client of the RingRift admin gRPC API, modelled on the Java ``ClusterClient``.

Safe to share between threads. Every reply names the leader (``rr-leader-id`` and
``rr-leader-address`` in its headers, or trailers for an error) and the next call goes there
first, so a write or a linearizable read takes one hop; any node still answers (a follower
forwards). When a node is unreachable the call moves on to the next endpoint, all within one
overall deadline. Reads and enqueues (which always carry an idempotency key) move on after any
unavailability. Other writes carry this client's session (``rr-session-id``/``-seq``/
``-acked-below`` headers): a write is resent with the same sequence number, to the same or
another node, until it is answered or the deadline passes, and the cluster applies it once.
Without a session (``sessions=False``) such a write moves on only when it provably reached no
node, and otherwise fails with ``Unavailable(outcome_unknown=True)``.
"""

import json
import os
import threading
import time
import uuid

import grpc

from . import errors
from . import admin_pb2, admin_pb2_grpc, commands_pb2, queue_pb2, records_pb2  # noqa: F401 (re-exported)

LEADER_ID = "rr-leader-id"
LEADER_ADDRESS = "rr-leader-address"
SESSION_ID = "rr-session-id"
SESSION_SEQ = "rr-session-seq"
SESSION_ACKED_BELOW = "rr-session-acked-below"

# Leader addresses outside the configured endpoints that get a channel of their own, at most.
MAX_EXTRA_CHANNELS = 16
# A write that found no node answering waits this long before its next round, doubling up to the max.
FIRST_RETRY_PAUSE = 0.02
MAX_RETRY_PAUSE = 0.5
# The shortest share of a deadline one attempt gets when other nodes remain to be tried.
MIN_ATTEMPT = 0.3
SESSION_CLOSE_TIMEOUT = 1.0
MAX_RECONNECT_BACKOFF_MS = 2000
# A watch that lost its node waits this long before the next try, doubling up to the max.
WATCH_FIRST_PAUSE = 0.1
WATCH_MAX_PAUSE = 2.0

# Reads and deduplicated writes: any unavailability moves on. Other writes: only if never sent.
REPEATABLE = "repeatable"
AT_MOST_ONCE = "at-most-once"

WORK_TYPE_PREFIX = "WORK_TYPE_"
WORK_STATE_PREFIX = "WORK_STATE_"


def work_type(value):
    """A WorkType enum value from ``"selfplay"``, ``"WORK_TYPE_SELFPLAY"`` or the number."""
    if isinstance(value, int):
        if value not in queue_pb2.WorkType.values() or value == 0:
            raise ValueError("work type %d is not one of %s" % (value, work_type_names()))
        return value
    name = str(value).strip().upper()
    if not name.startswith(WORK_TYPE_PREFIX):
        name = WORK_TYPE_PREFIX + name
    if name not in queue_pb2.WorkType.keys() or name == "WORK_TYPE_UNSPECIFIED":
        raise ValueError("work type '%s' is not one of %s" % (value, work_type_names()))
    return queue_pb2.WorkType.Value(name)


def work_type_names():
    return ", ".join(n[len(WORK_TYPE_PREFIX):].lower() for n in queue_pb2.WorkType.keys() if n != "WORK_TYPE_UNSPECIFIED")


def work_type_name(value):
    return queue_pb2.WorkType.Name(value)[len(WORK_TYPE_PREFIX):].lower()


def work_state(value):
    """A WorkState enum value from ``"pending"``, ``"WORK_STATE_PENDING"`` or the number."""
    if isinstance(value, int):
        return value
    name = str(value).strip().upper()
    if not name.startswith(WORK_STATE_PREFIX):
        name = WORK_STATE_PREFIX + name
    if name not in queue_pb2.WorkState.keys() or name == "WORK_STATE_UNSPECIFIED":
        raise ValueError("work state '%s' is not one of %s" % (value, ", ".join(
            n[len(WORK_STATE_PREFIX):].lower() for n in queue_pb2.WorkState.keys() if n != "WORK_STATE_UNSPECIFIED")))
    return queue_pb2.WorkState.Value(name)


def work_state_name(value):
    return queue_pb2.WorkState.Name(value)[len(WORK_STATE_PREFIX):].lower()


def as_bytes(value, field):
    """Payloads and results: bytes as they are, str as UTF-8, anything else as JSON."""
    if value is None:
        return b""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    if isinstance(value, str):
        return value.encode("utf-8")
    try:
        return json.dumps(value, separators=(",", ":")).encode("utf-8")
    except (TypeError, ValueError) as e:
        raise ValueError("%s: not bytes, str or JSON-serializable: %s" % (field, e))


def parse_endpoint(spec):
    """``"host:port"`` -> ``(host, port)``, with a clear error for anything else."""
    spec = str(spec).strip()
    host, sep, port = spec.rpartition(":")
    if not sep or not host or not port:
        raise ValueError("endpoint '%s' must look like host:port" % spec)
    try:
        number = int(port)
    except ValueError:
        raise ValueError("endpoint '%s': port is not a number" % spec) from None
    if not 1 <= number <= 65535:
        raise ValueError("endpoint '%s': port %d is out of range 1-65535" % (spec, number))
    return "%s:%d" % (host, number)


def parse_endpoints(endpoints):
    """A list of ``host:port`` strings, or one comma-separated string of them."""
    if isinstance(endpoints, str):
        endpoints = endpoints.split(",")
    parsed = [parse_endpoint(e) for e in endpoints if str(e).strip()]
    if not parsed:
        raise ValueError("endpoints: no endpoint given")
    seen = []
    for e in parsed:
        if e not in seen:
            seen.append(e)
    return seen


class Tls:
    """Mutual TLS: the cluster CA, this client's certificate and its key (PEM files).

    ``Tls.in_dir(dir, name)`` reads the layout ``rrctl certs init`` writes: ``dir/ca.pem``,
    ``dir/<name>.pem``, ``dir/<name>.key``. ``server_name`` overrides the name the nodes'
    certificates are checked against (default: the endpoint's host).
    """

    def __init__(self, ca, cert, key, server_name=None):
        self.files = {}
        for what, path in (("ca", ca), ("cert", cert), ("key", key)):
            if not path or not os.access(path, os.R_OK):
                raise ValueError("tls.%s: file %s is missing or unreadable" % (what, path))
            with open(path, "rb") as f:
                self.files[what] = f.read()
        self.server_name = server_name

    @classmethod
    def in_dir(cls, directory, name, server_name=None):
        return cls(os.path.join(directory, "ca.pem"), os.path.join(directory, name + ".pem"),
                   os.path.join(directory, name + ".key"), server_name)

    def channel(self, target, options):
        credentials = grpc.ssl_channel_credentials(self.files["ca"], self.files["key"], self.files["cert"])
        if self.server_name:
            options = options + [("grpc.ssl_target_name_override", self.server_name)]
        return grpc.secure_channel(target, credentials, options=options)


class _Session:
    """This client's session: every write takes the next seq and keeps it on every resend."""

    def __init__(self, session_id):
        self.id = session_id
        self._lock = threading.Lock()
        self._next = 1
        self._in_flight = set()

    def begin(self):
        with self._lock:
            seq = self._next
            self._next += 1
            self._in_flight.add(seq)
            return seq

    def finish(self, seq):
        with self._lock:
            self._in_flight.discard(seq)

    def headers(self, seq):
        with self._lock:
            oldest = min(self._in_flight) if self._in_flight else None
            acked_below = self._next if oldest is None else min(oldest, seq)
        return [(SESSION_ID, str(self.id)), (SESSION_SEQ, str(seq)), (SESSION_ACKED_BELOW, str(acked_below))]


class _SessionGone(Exception):
    def __init__(self, failure):
        super().__init__(str(failure))
        self.failure = failure


def _item_ref(item, token):
    """(item_id, LeaseToken) from a WorkItem (its own lease unless ``token`` is given) or an id."""
    if isinstance(item, queue_pb2.WorkItem):
        item_id = item.id
        token = token if token is not None else item.lease
    else:
        item_id = str(item)
    if token is None:
        raise ValueError("token: required when the item is given by id (%s)" % item_id)
    if isinstance(token, (tuple, list)):
        token = queue_pb2.LeaseToken(term=int(token[0]), sequence=int(token[1]))
    elif isinstance(token, str):
        term, _, sequence = token.partition(".")
        try:
            token = queue_pb2.LeaseToken(term=int(term), sequence=int(sequence))
        except ValueError:
            raise ValueError("token: '%s' must look like TERM.SEQUENCE" % token) from None
    return item_id, token


class Cluster:
    """A client of a RingRift cluster.

    ``endpoints``: admin gRPC addresses (``["127.0.0.1:9770", ...]`` or ``"h1:9770,h2:9770"``).
    ``tls``: a ``Tls`` for mutual TLS, or None for plaintext (loopback dev clusters).
    ``timeout``: seconds every call may take in all, across failover and resends.
    ``sessions``: writes exactly once through a client session (default); False: at most once.
    """

    def __init__(self, endpoints, tls=None, timeout=10.0, sessions=True, client_name=None):
        self.endpoints = parse_endpoints(endpoints)
        if not timeout or timeout <= 0:
            raise ValueError("timeout: %r must be > 0 seconds" % (timeout,))
        self.timeout = float(timeout)
        self._tls = tls
        self._client_name = (client_name or "python-client@%d" % os.getpid()) if sessions else None
        self._lock = threading.Lock()
        self._channels = {}
        self._stubs = {}
        self._hint = None  # (leader_id, endpoint)
        self._preferred = 0
        self._session = None
        self._closed = False
        for endpoint in self.endpoints:
            self._open(endpoint)

    # ---- connection plumbing ----

    def _open(self, endpoint):
        # Reconnect within a second or two of a node's return: gRPC's default backoff grows to 120 s,
        # and channels to one address share it, so a node restarted after a kill would be skipped
        # for minutes (calls to it fail fast while its channel backs off).
        options = [("grpc.max_receive_message_length", 16 * 1024 * 1024),
                   ("grpc.initial_reconnect_backoff_ms", 100), ("grpc.min_reconnect_backoff_ms", 100),
                   ("grpc.max_reconnect_backoff_ms", MAX_RECONNECT_BACKOFF_MS)]
        channel = self._tls.channel(endpoint, options) if self._tls else grpc.insecure_channel(endpoint, options=options)
        self._channels[endpoint] = channel
        self._stubs[endpoint] = admin_pb2_grpc.AdminServiceStub(channel)

    def _stub(self, endpoint):
        stub = self._stubs.get(endpoint)
        if stub is not None:
            return stub
        with self._lock:
            if endpoint not in self._stubs:
                if len(self._stubs) - len(self.endpoints) >= MAX_EXTRA_CHANNELS:
                    raise errors.Unavailable("leader address %s not used: this client already holds %d extra channels"
                                             % (endpoint, MAX_EXTRA_CHANNELS), endpoint=endpoint)
                self._open(endpoint)
            return self._stubs[endpoint]

    @property
    def leader(self):
        """``(leader_id, "host:port")`` as the latest reply named it, or None."""
        return self._hint

    def _record_hint(self, metadata):
        leader_id = errors.metadata_value(metadata, LEADER_ID)
        address = errors.metadata_value(metadata, LEADER_ADDRESS)
        if not leader_id or not address:
            return
        try:
            hint = (leader_id, parse_endpoint(address))
        except ValueError:
            return  # a node with a bad advertised address must not break the client
        self._hint = hint

    def _forget(self, endpoint):
        hint = self._hint
        if hint is not None and hint[1] == endpoint:
            self._hint = None

    def _call_order(self, leader_first):
        order = []
        hint = self._hint
        if leader_first and hint is not None:
            order.append(hint[1])
        start = self._preferred
        for i in range(len(self.endpoints)):
            endpoint = self.endpoints[(start + i) % len(self.endpoints)]
            if endpoint not in order:
                order.append(endpoint)
        return order

    def _attempt_timeout(self, remaining, candidates):
        if candidates <= 1:
            return remaining
        return min(remaining, max(MIN_ATTEMPT, self.timeout / 3))

    def _answered(self, endpoint, call):
        self._record_hint(call.initial_metadata())
        self._record_hint(call.trailing_metadata())
        if endpoint in self.endpoints:
            self._preferred = self.endpoints.index(endpoint)

    def _failed(self, endpoint, rpc_error):
        try:
            self._record_hint(rpc_error.initial_metadata())
            self._record_hint(rpc_error.trailing_metadata())
        except Exception:  # not every RpcError carries metadata
            pass
        return errors.translate(rpc_error, endpoint)

    def _invoke(self, endpoint, method, request, timeout, metadata=None, wait_for_ready=None):
        if self._closed:
            raise errors.ClusterError("this Cluster is closed")
        rpc = getattr(self._stub(endpoint), method)
        response, call = rpc.with_call(request, timeout=timeout, metadata=metadata, wait_for_ready=wait_for_ready)
        self._answered(endpoint, call)
        return response

    def _call(self, method, request, delivery=REPEATABLE, to_leader=True):
        deadline = time.monotonic() + self.timeout
        failures = []
        order = self._call_order(to_leader)
        for endpoint in order:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            # A repeatable call must not spend the whole deadline on one node that went silent.
            attempt = self._attempt_timeout(remaining, len(order)) if delivery == REPEATABLE else remaining
            try:
                return self._invoke(endpoint, method, request, attempt)
            except grpc.RpcError as e:
                failure = self._failed(endpoint, e)
                if not isinstance(failure, errors.Unavailable):
                    raise failure from None
                self._forget(endpoint)
                if delivery != REPEATABLE and not errors.never_sent(e):
                    # This node may be cut off from the leader: the next call starts at another one.
                    if endpoint in self.endpoints:
                        self._preferred = (self.endpoints.index(endpoint) + 1) % len(self.endpoints)
                    raise errors.Unavailable("outcome unknown: %s (the write may still be applied; it was not sent to "
                                             "another node, where it could apply twice)" % failure.message,
                                             code=failure.code, endpoint=endpoint, outcome_unknown=True) from None
                failures.append(failure.message)
            except errors.Unavailable as e:
                failures.append(e.message)
        raise errors.Unavailable("cluster unavailable within %d ms: %s" % (
            self.timeout * 1000, "; ".join(failures) if failures else "deadline expired"))

    def _write(self, method, request):
        """A write, exactly once: the session and the next seq, resent until answered or the deadline."""
        if self._client_name is None:
            return self._call(method, request, AT_MOST_ONCE)
        deadline = time.monotonic() + self.timeout
        for opened in range(2):
            session = self._open_session()
            seq = session.begin()
            try:
                return self._session_write(session, seq, deadline, method, request)
            except _SessionGone as gone:
                # Nothing applied: a fresh session may send it (once).
                with self._lock:
                    if self._session is session:
                        self._session = None
                if opened >= 1:
                    raise gone.failure from None
            finally:
                session.finish(seq)

    def _open_session(self):
        session = self._session
        if session is not None:
            return session
        with self._lock:
            if self._session is None:
                # Opening is not deduplicated: an answer lost here leaves an unused session that expires.
                result = self._call("OpenSession", commands_pb2.OpenSessionRequest(client_name=self._client_name))
                self._session = _Session(result.session_id)
            return self._session

    def open_session(self):
        """Opens this client's session now (the first write does it otherwise); returns its id, or None without sessions."""
        return None if self._client_name is None else self._open_session().id

    def _session_write(self, session, seq, deadline, method, request):
        failures = []
        may_have_applied = False
        attempts = 0
        pause = FIRST_RETRY_PAUSE
        while time.monotonic() < deadline:
            order = self._call_order(True)
            for endpoint in order:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                attempts += 1
                try:
                    # Resending is safe (same session and seq), so no attempt waits out the whole deadline.
                    return self._invoke(endpoint, method, request, self._attempt_timeout(remaining, max(2, len(order))),
                                        session.headers(seq))
                except grpc.RpcError as e:
                    failure = self._failed(endpoint, e)
                    if isinstance(failure, errors.SessionExpired):
                        if not may_have_applied:
                            raise _SessionGone(failure) from None
                        raise errors.Unavailable(
                            "outcome unknown: session %d expired while write %d was being sent again; it may have "
                            "been applied once: %s" % (session.id, seq, failure.message), outcome_unknown=True) from None
                    if not isinstance(failure, errors.Unavailable):
                        raise failure from None
                    may_have_applied = may_have_applied or not errors.never_sent(e)
                    self._forget(endpoint)
                    failures.append(failure.message)
                except errors.Unavailable as e:
                    failures.append(e.message)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            time.sleep(min(pause, remaining))
            pause = min(pause * 2, MAX_RETRY_PAUSE)
        recent = "; ".join(failures[-3:])
        if may_have_applied:
            raise errors.Unavailable(
                "outcome unknown: no answer within %d ms after %d attempts; the write may still be applied, exactly "
                "once (session %d, seq %d): %s" % (self.timeout * 1000, attempts, session.id, seq, recent),
                outcome_unknown=True)
        raise errors.Unavailable("cluster unavailable within %d ms: %s" % (
            self.timeout * 1000, recent or "deadline expired"))

    # ---- cluster ----

    def status(self):
        """The status (NodeStatus) of the first node that answers, as that node sees it."""
        return self._call("Status", admin_pb2.StatusRequest(), to_leader=False)

    def status_of(self, endpoint):
        """The status of one node (``"host:port"``), as that node sees it."""
        endpoint = parse_endpoint(endpoint)
        try:
            # Aimed at one node: wait for its channel (it may be reconnecting after a restart) until the deadline.
            return self._invoke(endpoint, "Status", admin_pb2.StatusRequest(), self.timeout, wait_for_ready=True)
        except grpc.RpcError as e:
            raise self._failed(endpoint, e) from None

    def nodes(self):
        """Every registered node (NodeRecord): roles, capabilities, heartbeats, blacklist, draining."""
        return list(self._call("ListNodes", commands_pb2.ListNodesRequest()).nodes)

    def get_config(self, key=""):
        """Config entries (ConfigEntry): one key, or every key when empty."""
        return list(self._call("GetConfig", commands_pb2.GetConfigRequest(key=key)).entries)

    def set_config(self, key, value):
        """Sets a cluster-wide config key (rrctl config set); returns the ConfigEntry."""
        return self._write("SetConfig", commands_pb2.SetConfigRequest(key=key, value=str(value)))

    def list_sessions(self, limit=100):
        """The open client sessions (first ``limit`` by id) and the session counters."""
        return self._call("ListSessions", commands_pb2.ListSessionsRequest(limit=int(limit)))

    # ---- queue ----

    @staticmethod
    def enqueue_request(type, payload=b"", priority=0, key=None, group=None, depends_on=(), target_node=None,
                        target_node_expires_ms=0, excluded_nodes=(), capabilities=(), max_attempts=0, timeout_ms=0,
                        force=False):
        """One EnqueueRequest; the same keyword arguments as ``enqueue``."""
        if not 0 <= int(priority) <= 100:
            raise ValueError("priority: %s must be within 0-100" % priority)
        return commands_pb2.EnqueueRequest(
            type=work_type(type), payload=as_bytes(payload, "payload"), priority=int(priority),
            idempotency_key=key or "", group_key=group or "", depends_on=list(depends_on),
            target_node=target_node or "", target_node_expires_ms=int(target_node_expires_ms),
            excluded_nodes=list(excluded_nodes), required_capabilities=list(capabilities),
            max_attempts=int(max_attempts), timeout_ms=int(timeout_ms), force=bool(force))

    def enqueue(self, type, payload=b"", **options):
        """Enqueues one item; returns EnqueueResult (``.item``, ``.created``: False when ``key`` matched an earlier item).

        Options: ``priority`` (0-100, higher first), ``key`` (idempotency key; one is generated
        when absent, so a resend never enqueues twice), ``group`` (at most queue.group_max_in_flight
        claimed at once), ``depends_on`` (item ids that must complete first), ``target_node`` and
        ``target_node_expires_ms``, ``excluded_nodes``, ``capabilities`` (required of the claimer),
        ``max_attempts``, ``timeout_ms``, ``force`` (above the hard pending limit).
        """
        request = self.enqueue_request(type, payload, **options)
        if not request.idempotency_key:
            request.idempotency_key = "auto-" + str(uuid.uuid4())
        return self._call("Enqueue", request)

    def enqueue_batch(self, items):
        """All or nothing: ``items`` are EnqueueRequests or dicts of ``enqueue``'s arguments; returns [EnqueueResult]."""
        requests = []
        for i, item in enumerate(items):
            if isinstance(item, commands_pb2.EnqueueRequest):
                request = commands_pb2.EnqueueRequest()
                request.CopyFrom(item)
            elif isinstance(item, dict):
                try:
                    request = self.enqueue_request(**item)
                except (TypeError, ValueError) as e:
                    raise ValueError("items[%d]: %s" % (i, e)) from None
            else:
                raise ValueError("items[%d]: an EnqueueRequest or a dict, not %s" % (i, type(item).__name__))
            if not request.idempotency_key:
                request.idempotency_key = "auto-" + str(uuid.uuid4())
            requests.append(request)
        return list(self._call("EnqueueBatch", commands_pb2.EnqueueBatchRequest(items=requests)).results)

    def claim(self, worker_id, types=(), max_items=1, lease_ms=0, node_id=None, capabilities=()):
        """Claims up to ``max_items`` items of ``types`` (all types when empty); returns [WorkItem], each with its lease."""
        if isinstance(types, (str, int)):
            types = [types]
        request = commands_pb2.ClaimRequest(
            worker_id=worker_id, max_items=int(max_items), work_types=[work_type(t) for t in types],
            lease_ms=int(lease_ms), node_id=node_id or "", capabilities=list(capabilities))
        return list(self._write("Claim", request).items)

    def start(self, item, token=None):
        """Marks a claimed item running; ``item`` is a WorkItem (its lease is used) or an id with ``token``."""
        item_id, token = _item_ref(item, token)
        return self._write("Start", commands_pb2.StartRequest(item_id=item_id, token=token)).item

    def extend(self, item, token=None, lease_ms=0):
        """Extends the lease by ``lease_ms`` from now (0: the default), never past the item's timeout."""
        item_id, token = _item_ref(item, token)
        return self._write("Extend", commands_pb2.ExtendRequest(item_id=item_id, token=token, lease_ms=int(lease_ms))).item

    def complete(self, item, result=b"", token=None):
        """Completes the item with ``result`` (bytes, str, or JSON-serializable)."""
        item_id, token = _item_ref(item, token)
        return self._write("Complete", commands_pb2.CompleteRequest(
            item_id=item_id, token=token, result=as_bytes(result, "result"))).item

    def fail(self, item, error, token=None, permanent=False):
        """Fails the attempt (retried up to max_attempts; ``permanent``: straight to the dead letters)."""
        item_id, token = _item_ref(item, token)
        return self._write("Fail", commands_pb2.FailRequest(
            item_id=item_id, token=token, error=str(error), permanent=bool(permanent))).item

    def release(self, item, token=None):
        """Gives the item back to pending without counting an attempt."""
        item_id, token = _item_ref(item, token)
        return self._write("Release", commands_pb2.ReleaseRequest(item_id=item_id, token=token)).item

    def cancel(self, item_id, reason=""):
        return self._write("Cancel", commands_pb2.CancelRequest(item_id=item_id, reason=reason)).item

    def get(self, item_id):
        """The item (a linearizable read); raises NotFound when there is none."""
        return self._call("GetItem", commands_pb2.GetItemRequest(item_id=item_id)).item

    def list(self, states=(), type=None, after_id="", limit=0):
        """One page of items in enqueue order: ListItemsResult (``.items``, ``.next_after_id``, empty on the last page)."""
        if isinstance(states, (str, int)):
            states = [states]
        return self._call("ListItems", commands_pb2.ListItemsRequest(
            states=[work_state(s) for s in states], type=work_type(type) if type else 0, after_id=after_id,
            limit=int(limit)))

    def stats(self):
        """QueueStats: counts per state, rejections, backpressure, pending per type."""
        return self._call("GetQueueStats", commands_pb2.QueueStatsRequest())

    # ---- events ----

    def recent_events(self, limit=100, after_seq=0, type=""):
        return list(self._call("RecentEvents", commands_pb2.RecentEventsRequest(
            limit=int(limit), after_seq=int(after_seq), type=type or "")).events)

    def watch_events(self, after_seq=0, type="", stop=None):
        """Yields events (records_pb2.Event) as nodes apply them, for ever or until ``stop`` (a threading.Event) is set.

        ``after_seq``: replay retained events after this seq first; 0 means from now on. When the
        node it follows goes away, it reconnects to another (bounded backoff) from the last seq
        it yielded, so nothing in between is lost (as far as the nodes retain events; a node
        replays at most 1000 per reconnect) and nothing is yielded twice.
        """
        last = int(after_seq)
        if last == 0:
            # "From now": pin "now" to a seq, so that a reconnect resumes from there too.
            latest = self._call("RecentEvents", commands_pb2.RecentEventsRequest(limit=1, after_seq=0, type=""))
            last = self._latest_seq(latest)
        pause = WATCH_FIRST_PAUSE
        attempt = 0
        current = [None]
        if stop is not None:
            # One thread per watch cancels the stream in hand when stop is set.
            def cancel_on_stop():
                stop.wait()
                if current[0] is not None:
                    current[0].cancel()
            threading.Thread(target=cancel_on_stop, name="ringrift-watch-stop", daemon=True).start()
        while stop is None or not stop.is_set():
            endpoint = self._call_order(False)[attempt % len(self.endpoints)]
            attempt += 1
            try:
                current[0] = self._stub(endpoint).WatchEvents(
                    admin_pb2.WatchEventsRequest(after_seq=last, type=type or ""))
                if stop is not None and stop.is_set():
                    return
                for event in current[0]:
                    pause = WATCH_FIRST_PAUSE
                    if event.seq > last:
                        last = event.seq
                        yield event
            except grpc.RpcError as e:
                if stop is not None and stop.is_set():
                    return
                failure = self._failed(endpoint, e)
                if not isinstance(failure, (errors.Unavailable, errors.Backpressure)) \
                        and e.code() != grpc.StatusCode.CANCELLED:
                    raise failure from None
            finally:
                if current[0] is not None:
                    current[0].cancel()
                    current[0] = None
            if stop is not None:
                if stop.wait(pause):
                    return
            else:
                time.sleep(pause)
            pause = min(pause * 2, WATCH_MAX_PAUSE)

    def _latest_seq(self, result):
        # RecentEvents answers the newest events (oldest first); none: nothing happened yet.
        return max((e.seq for e in result.events), default=0)

    # ---- lifecycle ----

    def close(self):
        """Ends this client's session on the cluster (best effort) and closes the channels."""
        session, self._session = self._session, None
        if session is not None:
            saved = self.timeout
            try:
                self.timeout = SESSION_CLOSE_TIMEOUT
                self._call("CloseSession", commands_pb2.CloseSessionRequest(session_id=session.id))
            except errors.ClusterError:
                pass  # it expires after its idle timeout instead
            finally:
                self.timeout = saved
        self._closed = True
        for channel in list(self._channels.values()):
            channel.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False
