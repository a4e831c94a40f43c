"""The audit log: SQLAlchemy models, migrations shipped in the package, and the store the service writes to."""

from clonaguard.db.audit import AuditStore, CardRecord, FeedbackRecord, ReplayedTokenError, UnknownCardError
from clonaguard.db.engine import make_engine
from clonaguard.db.migrate import upgrade

__all__ = [
    "AuditStore",
    "CardRecord",
    "FeedbackRecord",
    "ReplayedTokenError",
    "UnknownCardError",
    "make_engine",
    "upgrade",
]
