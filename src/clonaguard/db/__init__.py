"""The audit log: SQLAlchemy models, migrations shipped in the package, and the store the service writes to."""

from clonaguard.db.audit import AuditStore, CardRecord, FeedbackRecord
from clonaguard.db.engine import make_engine
from clonaguard.db.hashkey import load_hash_key
from clonaguard.db.migrate import upgrade

__all__ = [
    "AuditStore",
    "CardRecord",
    "FeedbackRecord",
    "load_hash_key",
    "make_engine",
    "upgrade",
]
