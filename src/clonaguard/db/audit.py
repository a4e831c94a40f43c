"""The audit store: what the service writes (checks, cards, feedback, used JWT ids) and nothing else."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import queue
import threading
from collections.abc import Sequence
from concurrent.futures import Future, InvalidStateError
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Dialect, Engine, PoolProxiedConnection, delete, insert, select
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from clonaguard.db.checkpoint import WalCheckpointer
from clonaguard.db.models import CardLog, CheckLog, FeedbackLog, UsedToken
from clonaguard.errors import ConflictError, ReplayedTokenError, UnknownCardError


@dataclass(frozen=True, slots=True)
class CardRecord:
    uuid: str
    code: str
    severity: str


@dataclass(frozen=True, slots=True)
class CheckRecord:
    """One checked order as the audit log keeps it: its check_log row and the cards given for it."""

    row: dict[str, Any]
    cards: Sequence[CardRecord] = ()


@dataclass(frozen=True, slots=True)
class FeedbackRecord:
    card_uuid: str
    outcome: str
    outcome_at: datetime | None = None
    accepted_suggestions: list[str] = field(default_factory=list)
    override_system: str | None = None
    override_code: str | None = None
    override_display: str | None = None
    comment: str | None = None


_CHECK_COLUMNS = [column.name for column in CheckLog.__table__.columns if column.name != "id"]
_CARD_COLUMNS = [column.name for column in CardLog.__table__.columns]


class _Insert:
    """One INSERT compiled once for a dialect, with the conversions its column types need (dates, JSON), so that
    a write is plain DB-API calls: the SQL SQLAlchemy would send, without its per-statement work."""

    def __init__(self, statement: Any, columns: list[str], dialect: Dialect) -> None:
        compiled = statement.compile(dialect=dialect, column_keys=columns)
        self.sql: str = compiled.string
        self._order = list(compiled.positiontup) if dialect.positional and compiled.positiontup else None
        self._convert = {
            name: processor
            for name, bind in compiled.binds.items()
            if (processor := bind.type.dialect_impl(dialect).bind_processor(dialect)) is not None
        }

    def parameters(self, row: dict[str, Any]) -> Any:
        convert = self._convert
        values = {name: convert[name](value) if name in convert else value for name, value in row.items()}
        return tuple(values[name] for name in self._order) if self._order is not None else values


@dataclass(slots=True)
class _Pending:
    checks: Sequence[CheckRecord]
    done: Future[list[int]] = field(default_factory=Future)
    awaited: asyncio.Future[list[int]] | None = None
    """For a caller on an event loop: its own future there, given `done`'s outcome (see `_wake`)."""


def _wake_loops(batch: list[_Pending], running: asyncio.AbstractEventLoop | None = None) -> None:
    """After a commit: one call to each event loop that has callers waiting on the batch; the loop that committed
    it (`running`) wakes its own callers at once."""
    by_loop: dict[asyncio.AbstractEventLoop, list[_Pending]] = {}
    for pending in batch:
        if pending.awaited is not None:
            by_loop.setdefault(pending.awaited.get_loop(), []).append(pending)
    for loop, waiting in by_loop.items():
        if loop is running:
            _wake(waiting)
        elif not loop.is_closed():
            loop.call_soon_threadsafe(_wake, waiting)


def _wake(batch: list[_Pending]) -> None:
    """On the event loop: each waiting caller of a committed batch gets its ids or error (one call a batch, rather
    than a hand-over to the loop for each caller); one whose wait was cancelled (its client left) is past caring."""
    for pending in batch:
        awaited = pending.awaited
        if awaited is not None and not awaited.done():
            error = pending.done.exception(timeout=0)  # settled by the commit: never waits
            if error is not None:
                awaited.set_exception(error)
            else:
                awaited.set_result(pending.done.result())


def _settle(pending: _Pending, ids: list[int] | None = None, error: BaseException | None = None) -> None:
    """Give the caller its ids or error; one whose wait was cancelled (its client left) is past caring."""
    with contextlib.suppress(InvalidStateError):
        if error is not None:
            pending.done.set_exception(error)
        else:
            pending.done.set_result(ids or [])


class GroupCommit:
    """Checks logged at the same time share one transaction and one commit, on one DB-API connection.

    A thread's caller queues its rows, then waits for the writer's turn; whoever gets it commits every row queued
    so far, on its own thread (a lone request pays for one commit and nothing else). A caller on the event loop
    queues its rows and awaits them. On PostgreSQL a writer thread commits what is queued while the loop goes on
    with other requests, which queue behind it. On SQLite, whose commit is a local write of a few pages, the loop
    commits itself once the requests ready to run have queued their rows, without waiting for a lock: when another
    connection holds the database's write lock, the batch goes to the writer thread, which waits for it, so the
    loop never stalls. Either way a caller learns its ids only after the commit of the batch that holds its rows,
    so an answer is never sent before its audit row is durable."""

    def __init__(self, engine: Engine, max_batch: int = 64, checkpoint_seconds: float = 1.0) -> None:
        self._engine = engine
        self._max_batch = max_batch
        self._checkpoint_seconds = checkpoint_seconds
        self._checkpointer: WalCheckpointer | None = None  # SQLite only: see clonaguard.db.checkpoint
        self._check = _Insert(insert(CheckLog).returning(CheckLog.id), _CHECK_COLUMNS, engine.dialect)
        self._cards = _Insert(insert(CardLog), _CARD_COLUMNS, engine.dialect)
        self._connection: PoolProxiedConnection | None = None  # opened at the first write, used under _turn only
        self._loop_commits = engine.dialect.name == "sqlite"
        self._lock_wait: str | None = None  # SQLite: the connection's busy timeout, set aside while the loop commits
        self._queue: queue.SimpleQueue[_Pending] = queue.SimpleQueue()
        self._turn = threading.Lock()
        self._loop_work = threading.Event()
        self._writer: threading.Thread | None = None
        self._closed = False

    def write(self, checks: Sequence[CheckRecord]) -> list[int]:
        """Insert the checks and their cards; their ids after the commit (or the error that stopped it)."""
        pending = _Pending(checks)
        self._queue.put(pending)
        while not pending.done.done():
            with self._turn:
                if not pending.done.done():
                    self._commit_queued()
        return pending.done.result()

    async def write_async(self, checks: Sequence[CheckRecord]) -> list[int]:
        """`write` for a caller on the event loop, which never waits there for a lock or a database server."""
        loop = asyncio.get_running_loop()
        awaited: asyncio.Future[list[int]] = loop.create_future()
        pending = _Pending(checks, awaited=awaited)
        self._queue.put(pending)
        loop.call_soon(self._commit_on_loop if self._loop_commits else self._wake_writer)
        return await awaited

    def _commit_on_loop(self) -> None:
        """Called on the loop after the requests already ready to run have had their turn, so that the rows they
        queue in it share one commit. The writer thread takes them instead when it has the turn already, or when
        the database is locked (the loop does not wait for the lock)."""
        if self._queue.empty():  # an earlier call took these rows too
            return
        if not self._turn.acquire(blocking=False):
            self._wake_writer()
            return
        try:
            while batch := self._take():
                if not self._commit_unless_locked(batch):
                    for pending in batch:
                        self._queue.put(pending)
                    self._wake_writer()
                    return
                _wake_loops(batch, asyncio.get_running_loop())
        finally:
            self._turn.release()

    def _wake_writer(self) -> None:
        """Called on the loop after the requests already ready to run have had their turn (or when the loop could
        not commit them), so that the rows they queue in it share this commit, rather than the first row waking the
        writer alone (a commit costs several rows' inserts). Set already: the writer has yet to clear it, and will
        take every row queued before that."""
        if self._queue.empty():
            return
        if self._writer is None or not self._writer.is_alive():
            self._writer = threading.Thread(target=self._write_for_the_loop, name="audit-writer", daemon=True)
            self._writer.start()
        if not self._loop_work.is_set():
            self._loop_work.set()

    def close(self) -> None:
        """Commit what is queued, stop the writer and checkpoint threads, and give the connection back (a SQLite
        one, detached from the pool at the first write, is closed)."""
        self._closed = True
        self._loop_work.set()
        with self._turn:
            self._commit_queued()
            if self._connection is not None:
                self._connection.close()
                self._connection = None
            if self._checkpointer is not None:
                self._checkpointer.stop()
                self._checkpointer = None

    def _write_for_the_loop(self) -> None:
        """The writer thread: commits what callers on the event loop queued, until the store is closed."""
        while True:
            self._loop_work.wait()
            with self._turn:
                self._loop_work.clear()  # before taking: rows queued from now on set it again
                self._commit_queued()
                if self._closed:
                    return

    def _commit_queued(self) -> None:
        self._wait_for_locks(True)
        while batch := self._take():
            self._commit(batch)
            _wake_loops(batch)

    def _take(self) -> list[_Pending]:
        batch: list[_Pending] = []
        while len(batch) < self._max_batch:
            try:
                batch.append(self._queue.get_nowait())
            except queue.Empty:
                break
        return batch

    def _commit(self, batch: list[_Pending], *, reconnected: bool = False) -> None:
        """One transaction for the batch. A lost connection is replaced and the batch tried once more; any other
        failure, and each caller's rows are tried alone, so that one bad row fails alone."""
        try:
            ids = self._insert_and_commit(batch)
        except Exception as exc:
            lost = self._roll_back(exc)
            if lost and not reconnected:
                self._commit(batch, reconnected=True)
            elif len(batch) == 1:
                _settle(batch[0], error=self._as_sqlalchemy_error(exc))
            else:
                for pending in batch:
                    self._commit([pending], reconnected=True)
            return
        for pending, check_ids in zip(batch, ids, strict=True):
            _settle(pending, check_ids)

    def _commit_unless_locked(self, batch: list[_Pending]) -> bool:
        """One transaction for the batch, on the loop; False, rolled back, if it could not commit at once (the
        writer thread then tries it, and says what went wrong)."""
        try:
            self._wait_for_locks(False)
            ids = self._insert_and_commit(batch)
        except Exception as exc:
            self._roll_back(exc)
            return False
        for pending, check_ids in zip(batch, ids, strict=True):
            _settle(pending, check_ids)
        return True

    def _insert_and_commit(self, batch: list[_Pending]) -> list[list[int]]:
        connection = self._connect()
        cursor = connection.cursor()
        try:
            ids = [[self._insert(cursor, check) for check in pending.checks] for pending in batch]
        finally:
            cursor.close()
        connection.commit()
        return ids

    def _wait_for_locks(self, wait: bool) -> None:
        """SQLite: whether a write waits for another connection's lock (the connection's busy timeout) or fails at
        once (on the loop, which must not stall). Set only when it changes."""
        if not self._loop_commits or (self._lock_wait is None) == wait:
            return
        cursor = self._connect().cursor()
        try:
            if wait:
                cursor.execute(f"PRAGMA busy_timeout={self._lock_wait}")
                self._lock_wait = None
            else:
                self._lock_wait = str(int(cursor.execute("PRAGMA busy_timeout").fetchone()[0]))
                cursor.execute("PRAGMA busy_timeout=0")
        finally:
            cursor.close()

    def _insert(self, cursor: Any, check: CheckRecord) -> int:
        cursor.execute(self._check.sql, self._check.parameters(check.row))
        check_id = int(cursor.fetchone()[0])
        if check.cards:
            rows = [{"uuid": c.uuid, "check_id": check_id, "code": c.code, "severity": c.severity} for c in check.cards]
            cursor.executemany(self._cards.sql, [self._cards.parameters(row) for row in rows])
        return check_id

    def _as_sqlalchemy_error(self, error: Exception) -> Exception:
        """A DB-API error as SQLAlchemy would raise it (IntegrityError, OperationalError...), as callers expect."""
        dbapi_error = self._engine.dialect.loaded_dbapi.Error
        if isinstance(error, dbapi_error):
            return DBAPIError.instance(self._check.sql, None, error, dbapi_error)
        return error

    def _connect(self) -> PoolProxiedConnection:
        if self._connection is None:
            connection = self._engine.raw_connection()
            if self._engine.dialect.name == "sqlite":
                connection.detach()  # its checkpoint setting must not reach the pool's other users
                cursor = connection.cursor()
                cursor.execute("PRAGMA wal_autocheckpoint=0")  # checkpoints run on their own thread, not in commits
                cursor.close()
                self._checkpointer = self._checkpointer or WalCheckpointer(self._engine, self._checkpoint_seconds)
            self._connection = connection
            self._lock_wait = None  # a new connection waits for locks, as the engine sets it
        return self._connection

    def _roll_back(self, error: Exception) -> bool:
        """Roll the failed transaction back; True when the connection is lost (it is then dropped)."""
        connection = self._connection
        if connection is None:
            return True
        try:
            lost = isinstance(error, self._engine.dialect.loaded_dbapi.Error) and self._engine.dialect.is_disconnect(
                error, connection.dbapi_connection, None
            )
            if not lost:
                connection.rollback()
                return False
        except Exception:
            pass
        connection.invalidate()
        self._connection = None
        return True


class AuditStore:
    """Writes the audit log. Patient ids are kept only as an HMAC-SHA256 under `hash_key`, which is never stored
    in the database (see clonaguard.db.hashkey)."""

    def __init__(self, engine: Engine, hash_key: bytes) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._key = hash_key
        self._writer = GroupCommit(engine)

    def patient_hash(self, patient_id: str) -> str:
        return hmac.digest(self._key, patient_id.encode(), "sha256").hex()

    def check_record(
        self,
        *,
        channel: str,
        hook: str | None,
        hook_instance: str,
        patient_id: str | None,
        daily_dose_mg: float | None,
        findings: Sequence[tuple[str, str]],
        label: str,
        cards: Sequence[CardRecord] = (),
    ) -> CheckRecord:
        """One checked order as it will be logged: the patient only as a keyed hash, nothing else of them."""
        row = {
            "created_at": datetime.now(UTC),
            "channel": channel,
            "hook": hook,
            "hook_instance": hook_instance[:200],
            "patient_hash": self.patient_hash(patient_id) if patient_id else None,
            "daily_dose_mg": daily_dose_mg,
            "findings": [{"code": code, "severity": severity} for code, severity in findings],
            "label": label,
        }
        return CheckRecord(row, cards)

    def record_checks(self, checks: Sequence[CheckRecord]) -> list[int]:
        """Log checked orders in one transaction, on this thread's turn (see GroupCommit); their ids."""
        return self._writer.write(checks)

    async def record_checks_async(self, checks: Sequence[CheckRecord]) -> list[int]:
        """`record_checks` for the event loop, which is free while the rows are committed."""
        return await self._writer.write_async(checks)

    def close(self) -> None:
        """Commit what is queued and release the writer's connection (at service shutdown)."""
        self._writer.close()

    def record_feedback(self, items: Sequence[FeedbackRecord], hook: str) -> int:
        """Store feedback on cards given by the service of `hook`; all or nothing. A repeat of a stored outcome is
        not stored again; a different outcome for a card that has one raises ConflictError. Returns the count."""
        first: dict[str, FeedbackRecord] = {}
        for item in items:
            earlier = first.setdefault(item.card_uuid, item)
            if earlier.outcome != item.outcome:
                raise ConflictError(f"feedback: card {item.card_uuid} is both accepted and overridden; nothing stored")
        try:
            with self._sessions.begin() as session:
                fresh = self._fresh_feedback(session, first, hook)
                now = datetime.now(UTC)
                session.add_all(_feedback_row(item, now) for item in fresh)
        except IntegrityError as exc:  # a concurrent request stored feedback for one of these cards first
            raise ConflictError("feedback: a card's feedback was stored meanwhile; nothing stored") from exc
        return len(fresh)

    @staticmethod
    def _fresh_feedback(session: Session, items: dict[str, FeedbackRecord], hook: str) -> list[FeedbackRecord]:
        uuids = set(items)
        given = select(CardLog.uuid).join(CheckLog, CardLog.check_id == CheckLog.id)
        known = set(session.scalars(given.where(CardLog.uuid.in_(uuids), CheckLog.hook == hook)))
        unknown = sorted(uuids - known)
        if unknown:
            raise UnknownCardError(
                f"feedback: unknown card uuid(s) for this service: {', '.join(unknown)}; nothing was stored"
            )
        query = select(FeedbackLog.card_uuid, FeedbackLog.outcome).where(FeedbackLog.card_uuid.in_(uuids))
        stored = {uuid: outcome for uuid, outcome in session.execute(query)}
        for uuid, outcome in stored.items():
            if outcome != items[uuid].outcome:
                raise ConflictError(f"feedback: card {uuid} already has the outcome {outcome!r}; nothing stored")
        return [item for uuid, item in items.items() if uuid not in stored]

    def use_token(self, jti: str, issuer: str, expires_at: datetime) -> None:
        """Remember a JWT id (as a SHA-256 of issuer and jti: any length, no collision) until it expires; a second
        use raises ReplayedTokenError."""
        key = hashlib.sha256(f"{issuer}\x1f{jti}".encode()).hexdigest()
        now = datetime.now(UTC)
        try:
            with self._sessions.begin() as session:
                session.execute(delete(UsedToken).where(UsedToken.expires_at < now))
                session.add(UsedToken(jti=key, issuer=issuer[:500], expires_at=expires_at))
        except IntegrityError as exc:
            raise ReplayedTokenError(jti) from exc

    def checks(self, hook_instance: str | None = None) -> list[dict[str, Any]]:
        """Logged checks, oldest first, with their cards and feedback (for reports and tests)."""
        with self._sessions() as session:
            query = select(CheckLog).order_by(CheckLog.id)
            if hook_instance is not None:
                query = query.where(CheckLog.hook_instance == hook_instance)
            return [_check_dict(session, row) for row in session.scalars(query)]


def _feedback_row(item: FeedbackRecord, now: datetime) -> FeedbackLog:
    return FeedbackLog(
        card_uuid=item.card_uuid,
        received_at=now,
        outcome=item.outcome,
        outcome_at=item.outcome_at,
        accepted_suggestions=list(item.accepted_suggestions),
        override_system=item.override_system,
        override_code=item.override_code,
        override_display=item.override_display,
        comment=item.comment,
    )


def _check_dict(session: Session, row: CheckLog) -> dict[str, Any]:
    cards = session.scalars(select(CardLog).where(CardLog.check_id == row.id).order_by(CardLog.uuid)).all()
    feedback = session.scalars(
        select(FeedbackLog).where(FeedbackLog.card_uuid.in_([c.uuid for c in cards])).order_by(FeedbackLog.id)
    ).all()
    return {
        "id": row.id,
        "created_at": row.created_at,
        "channel": row.channel,
        "hook": row.hook,
        "hook_instance": row.hook_instance,
        "patient_hash": row.patient_hash,
        "daily_dose_mg": row.daily_dose_mg,
        "findings": row.findings,
        "label": row.label,
        "cards": [{"uuid": c.uuid, "code": c.code, "severity": c.severity} for c in cards],
        "feedback": [
            {
                "card_uuid": f.card_uuid,
                "outcome": f.outcome,
                "override_code": f.override_code,
                "override_system": f.override_system,
                "override_display": f.override_display,
                "comment": f.comment,
                "accepted_suggestions": f.accepted_suggestions,
            }
            for f in feedback
        ],
    }
