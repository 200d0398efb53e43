"""RingRift cluster client: ``Cluster`` (admin API calls with failover, leader following, deadlines,
typed errors and exactly-once writes through a client session) and ``Worker`` (a claim loop with
its lease kept alive). See clients/python/README.md."""

from . import _stubs

_stubs.ensure()

from . import admin_pb2, commands_pb2, queue_pb2, records_pb2  # noqa: E402
from .client import Cluster, Tls, parse_endpoints, work_state_name, work_type_name  # noqa: E402
from .errors import (Backpressure, ClusterError, FailedPrecondition, Fenced, InvalidArgument,  # noqa: E402
                     NotFound, PermissionDenied, Rejected, SessionExpired, StaleToken, Unavailable)
from .worker import Job, Worker  # noqa: E402

__all__ = ["Cluster", "Tls", "Worker", "Job", "ClusterError", "InvalidArgument", "NotFound", "Rejected", "StaleToken",
           "Fenced", "FailedPrecondition", "SessionExpired", "Backpressure", "Unavailable", "PermissionDenied",
           "parse_endpoints", "work_type_name", "work_state_name", "admin_pb2", "commands_pb2", "queue_pb2",
           "records_pb2"]
