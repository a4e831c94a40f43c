"""The audit store: what the service writes (checks, cards, feedback, used JWT ids) and nothing else."""

from __future__ import annotations

import hashlib
import hmac
import queue
import threading
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, delete, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from clonaguard.db.models import CardLog, CheckLog, FeedbackLog, UsedToken
from clonaguard.errors import ConflictError, ReplayedTokenError, UnknownCardError

# Built once: the audit write runs on every request.
_INSERT_CHECK = insert(CheckLog).returning(CheckLog.id)
_INSERT_CARDS = insert(CardLog)


@dataclass(frozen=True, slots=True)
class CardRecord:
    uuid: str
    code: str
    severity: str


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


@dataclass(slots=True)
class _PendingCheck:
    row: dict[str, Any]
    cards: Sequence[CardRecord]
    done: Future[int] = field(default_factory=Future)


class GroupCommit:
    """Checks logged at the same time share one transaction and one commit. Each caller queues its row, then
    waits for the writer's turn; whoever gets it commits every row queued so far, on its own thread (no hand-over
    to another thread, so a lone request pays for one commit and nothing else). A caller returns only after the
    commit of the batch that holds its row, so an answer is never sent before its audit row is durable."""

    def __init__(self, engine: Engine, max_batch: int = 64) -> None:
        self._engine = engine
        self._max_batch = max_batch
        self._queue: queue.SimpleQueue[_PendingCheck] = queue.SimpleQueue()
        self._turn = threading.Lock()

    def write(self, row: dict[str, Any], cards: Sequence[CardRecord]) -> int:
        """Insert one check and its cards; returns the check's id after the commit (or raises its error)."""
        pending = _PendingCheck(row, cards)
        self._queue.put(pending)
        while not pending.done.done():
            with self._turn:
                if not pending.done.done():
                    self._commit(self._take())
        return pending.done.result()

    def _take(self) -> list[_PendingCheck]:
        batch: list[_PendingCheck] = []
        while len(batch) < self._max_batch:
            try:
                batch.append(self._queue.get_nowait())
            except queue.Empty:
                break
        return batch

    def _commit(self, batch: list[_PendingCheck]) -> None:
        """One transaction for the batch; if it fails, each check is tried alone so one bad row fails alone."""
        try:
            with self._engine.begin() as connection:
                ids = [_insert_check(connection, pending) for pending in batch]
        except Exception as exc:
            if len(batch) == 1:
                batch[0].done.set_exception(exc)
                return
            for pending in batch:
                self._commit([pending])
            return
        for pending, check_id in zip(batch, ids, strict=True):
            pending.done.set_result(check_id)


def _insert_check(connection: Connection, pending: _PendingCheck) -> int:
    check_id = int(connection.execute(_INSERT_CHECK, pending.row).scalar_one())
    if pending.cards:
        connection.execute(
            _INSERT_CARDS,
            [{"uuid": c.uuid, "check_id": check_id, "code": c.code, "severity": c.severity} for c in pending.cards],
        )
    return check_id


class AuditStore:
    """Writes the audit log. Patient ids are kept only as an HMAC-SHA256 under `hash_key`, which is never stored
    in the database (see clonaguard.db.hashkey)."""

    def __init__(self, engine: Engine, hash_key: bytes) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._key = hash_key
        self._writer = GroupCommit(engine)

    def patient_hash(self, patient_id: str) -> str:
        return hmac.new(self._key, patient_id.encode(), hashlib.sha256).hexdigest()

    def record_check(
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
    ) -> int:
        """Log one checked order; returns its id once the row is committed (see GroupCommit)."""
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
        return self._writer.write(row, cards)

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
