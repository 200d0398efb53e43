"""Typed errors of cluster calls: the same kinds as the Java client's ErrorKind.

Every error a node returns carries a gRPC status and, for refusals of the state machine or the
node, an ``rr-reject-code`` trailer naming the kind exactly (STALE_TOKEN, FENCED, ...). The
class of a raised error is chosen from that trailer first and from the status code otherwise,
as ``ErrorKind.of`` does in Java.

    ClusterError                       kind
    +-- InvalidArgument                INVALID_ARGUMENT
    +-- NotFound                       NOT_FOUND
    +-- Rejected                       (the state machine refused a valid-looking write)
    |   +-- StaleToken                 STALE_TOKEN        the lease token is no longer the item's
    |   +-- Fenced                     FENCED
    |   +-- FailedPrecondition         FAILED_PRECONDITION
    |   +-- SessionExpired             SESSION_EXPIRED    (handled inside the client; rarely seen)
    +-- Backpressure                   BACKPRESSURE       the cluster sheds load: retry later
    +-- Unavailable                    UNAVAILABLE        no node answered in time
    |   (outcome_unknown=True: a write may still apply, exactly once with a session)
    +-- PermissionDenied               PERMISSION_DENIED
"""

import grpc

REJECT_CODE = "rr-reject-code"
NOT_PROPOSED = "rr-not-proposed"


class ClusterError(Exception):
    """A failed cluster call: ``kind`` is the Java ErrorKind name, ``code`` the gRPC status code."""

    kind = "ERROR"

    def __init__(self, message, code=None, endpoint=None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.endpoint = endpoint


class InvalidArgument(ClusterError):
    kind = "INVALID_ARGUMENT"


class NotFound(ClusterError):
    kind = "NOT_FOUND"


class Rejected(ClusterError):
    """The cluster refused the write deterministically; nothing changed."""

    kind = "FAILED_PRECONDITION"


class StaleToken(Rejected):
    kind = "STALE_TOKEN"


class Fenced(Rejected):
    kind = "FENCED"


class FailedPrecondition(Rejected):
    kind = "FAILED_PRECONDITION"


class SessionExpired(Rejected):
    kind = "SESSION_EXPIRED"


class Backpressure(ClusterError):
    kind = "BACKPRESSURE"


class Unavailable(ClusterError):
    """No node answered within the deadline. With ``outcome_unknown`` a write may have been applied."""

    kind = "UNAVAILABLE"

    def __init__(self, message, code=None, endpoint=None, outcome_unknown=False):
        super().__init__(message, code, endpoint)
        self.outcome_unknown = outcome_unknown


class PermissionDenied(ClusterError):
    kind = "PERMISSION_DENIED"


BY_KIND = {cls.kind: cls for cls in (InvalidArgument, NotFound, StaleToken, Fenced, FailedPrecondition,
                                     SessionExpired, Backpressure, Unavailable, PermissionDenied)}
BY_KIND["ERROR"] = ClusterError

BY_CODE = {
    grpc.StatusCode.INVALID_ARGUMENT: InvalidArgument,
    grpc.StatusCode.OUT_OF_RANGE: InvalidArgument,
    grpc.StatusCode.UNAVAILABLE: Unavailable,
    grpc.StatusCode.DEADLINE_EXCEEDED: Unavailable,
    grpc.StatusCode.NOT_FOUND: NotFound,
    grpc.StatusCode.FAILED_PRECONDITION: FailedPrecondition,
    grpc.StatusCode.ABORTED: FailedPrecondition,
    grpc.StatusCode.RESOURCE_EXHAUSTED: Backpressure,
    grpc.StatusCode.PERMISSION_DENIED: PermissionDenied,
    grpc.StatusCode.UNAUTHENTICATED: PermissionDenied,
}


def metadata_value(metadata, key):
    for entry in metadata or ():
        if entry[0] == key:
            return entry[1]
    return None


def error_class(code, reject_code):
    """The class for a gRPC status code, refined by the rr-reject-code trailer when there is one."""
    if reject_code and reject_code in BY_KIND:
        return BY_KIND[reject_code]
    return BY_CODE.get(code, ClusterError)


def translate(rpc_error, endpoint):
    """The typed error for a failed gRPC call to ``endpoint``."""
    code = rpc_error.code() if hasattr(rpc_error, "code") else grpc.StatusCode.UNKNOWN
    details = rpc_error.details() if hasattr(rpc_error, "details") else str(rpc_error)
    trailers = rpc_error.trailing_metadata() if hasattr(rpc_error, "trailing_metadata") else None
    cls = error_class(code, metadata_value(trailers, REJECT_CODE))
    if cls is Unavailable:
        message = "%s: %s%s" % (endpoint, code.name, " " + details if details else "")
    else:
        message = details or code.name
    return cls(message, code=code, endpoint=endpoint)


def never_sent(rpc_error):
    """True when a failed call provably reached no node, so even a write may go to another one.

    grpc-python fails a call on a channel that cannot connect with UNAVAILABLE and "failed to
    connect" in its details; a node that refused without proposing says so in rr-not-proposed.
    Every other failure (a reset stream, a deadline, an UNAVAILABLE answer) may follow delivery.
    """
    if rpc_error.code() != grpc.StatusCode.UNAVAILABLE:
        return False
    if metadata_value(rpc_error.trailing_metadata(), NOT_PROPOSED) == "true":
        return True
    details = (rpc_error.details() or "").lower()
    return "failed to connect" in details or "connection refused" in details or "dns resolution failed" in details
