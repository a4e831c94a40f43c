"""Checkpoints of a SQLite write-ahead log, off the path of the commits that wait on them.

SQLite's automatic checkpoint runs inside the commit that takes the log past its threshold, and its fsync then
holds up that commit and every request waiting on it: it was most of order-sign's p99 under steady load. The
audit writer turns it off on its own connection and leaves checkpoints to this thread, whose PASSIVE checkpoint
never blocks a writer or a reader. Durability does not depend on it: in WAL mode a commit is kept once it is in
the log; a checkpoint only copies the log into the database file, so that the log stays short.
"""

from __future__ import annotations

import logging
import threading

from sqlalchemy import Engine

logger = logging.getLogger(__name__)


class WalCheckpointer:
    """Every `interval_seconds`, a PASSIVE checkpoint of the engine's SQLite database, on a connection and a
    thread of its own, until `stop`."""

    def __init__(self, engine: Engine, interval_seconds: float) -> None:
        self._engine = engine
        self._interval = interval_seconds
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="wal-checkpoint", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join()

    def _run(self) -> None:
        try:
            connection = self._engine.raw_connection()
        except Exception as exc:  # the writer's own commits report the database's state
            logger.warning("WAL checkpoints not run: the database could not be opened (%s)", type(exc).__name__)
            return
        try:
            while not self._stopped.wait(self._interval):
                cursor = connection.cursor()
                try:
                    cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")
                except self._engine.dialect.loaded_dbapi.Error as exc:  # busy or locked: the next turn will do
                    logger.info("WAL checkpoint skipped (%s)", exc)
                finally:
                    cursor.close()
        finally:
            connection.close()
