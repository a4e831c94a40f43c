"""On SQLite, the audit writer's commits never checkpoint the write-ahead log; a thread of its own does.

SQLite's automatic checkpoint would run inside the commit that takes the log past 1,000 pages, and its fsync
would hold up every request waiting on that commit.
"""

from __future__ import annotations

import shutil
import sqlite3
import time
from contextlib import closing
from pathlib import Path

from clonaguard.db import AuditStore, make_engine
from clonaguard.db.audit import CheckRecord, GroupCommit
from clonaguard.db.migrate import upgrade
from tests.service.audit_rows import check_fields

COMMITS = 1_500  # well past SQLite's automatic checkpoint at 1,000 pages of log


def _rows_in_the_database_file(database: Path, copy: Path) -> int | None:
    """check_log rows in the database file without its log (what checkpoints have copied into it); None when the
    copy was taken mid-checkpoint."""
    shutil.copyfile(database, copy)
    try:
        with closing(sqlite3.connect(copy)) as connection:
            return int(connection.execute("SELECT count(*) FROM check_log").fetchone()[0])
    except sqlite3.DatabaseError:
        return None


def test_commits_leave_checkpoints_to_their_own_thread(sqlite_url: str, tmp_path: Path) -> None:
    engine = make_engine(sqlite_url)
    upgrade(engine)
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")  # the schema in the file, the log empty
    database, copy = Path(str(engine.url.database)), tmp_path / "copy.db"
    store = AuditStore(engine, b"k" * 32)

    def record(index: int) -> CheckRecord:
        return store.check_record(**check_fields(f"w-{index}"))

    no_checkpoint_yet = GroupCommit(engine, checkpoint_seconds=3600)
    for index in range(COMMITS):
        no_checkpoint_yet.write([record(index)])
    assert _rows_in_the_database_file(database, copy) == 0, "a commit checkpointed the log"

    checkpointing = GroupCommit(engine, checkpoint_seconds=0.05)
    checkpointing.write([record(COMMITS)])
    deadline = time.monotonic() + 10
    while _rows_in_the_database_file(database, copy) != COMMITS + 1:
        assert time.monotonic() < deadline, "the checkpoint thread did not copy the log into the database file"
        time.sleep(0.05)
    no_checkpoint_yet.close()
    checkpointing.close()
    engine.dispose()
