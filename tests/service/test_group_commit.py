"""Group commit of the audit log, on SQLite and on a real PostgreSQL: checks logged together share one commit,
each caller gets its id only after that commit, and a row that cannot be written fails alone."""

from __future__ import annotations

import asyncio
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import Engine, event, text
from sqlalchemy.exc import IntegrityError

from clonaguard.db import AuditStore, make_engine
from clonaguard.db.audit import CheckRecord
from clonaguard.db.migrate import upgrade
from tests.service.audit_rows import check_fields

WRITERS = 16


@contextmanager
def _table_locked(engine: Engine) -> Iterator[None]:
    """Another connection holds the write lock, so the audit writer waits and the callers queue up behind it."""
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.execute(text("LOCK TABLE check_log IN EXCLUSIVE MODE"))
        yield
        connection.rollback()


def _record(store: AuditStore, instance: str, card: str) -> int:
    (check_id,) = store.record_checks([store.check_record(**check_fields(instance, card))])
    return check_id


def _burst(store: AuditStore, cards: list[str], engine: Engine) -> dict[str, Any]:
    """WRITERS threads log at once while the table is locked; returns each instance's id or error."""
    outcome: dict[str, Any] = {}

    def one(index: int) -> None:
        try:
            outcome[f"g-{index}"] = _record(store, f"g-{index}", cards[index])
        except IntegrityError as exc:
            outcome[f"g-{index}"] = exc

    threads = [threading.Thread(target=one, args=(index,)) for index in range(WRITERS)]
    with _table_locked(engine):
        for thread in threads:
            thread.start()
        time.sleep(0.5)  # every caller has queued its row behind the lock
        assert not outcome, "a caller got its id before its row could be committed"
    for thread in threads:
        thread.join(timeout=30)
    return outcome


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    upgrade(engine)
    yield engine
    engine.dispose()


def _transactions(engine: Engine) -> Callable[[], int]:
    """How many transactions wrote check_log rows: on PostgreSQL the rows' distinct xmin (the id of the transaction
    that wrote each); on SQLite the COMMITs traced on every connection opened from now on."""
    if engine.dialect.name != "sqlite":
        query = text("SELECT count(DISTINCT xmin::text) FROM check_log")

        def committed() -> int:
            with engine.connect() as connection:
                return int(connection.execute(query).scalar_one())

        return committed
    commits: list[str] = []
    engine.dispose()  # so that the store opens a new, traced connection
    event.listen(engine, "connect", lambda dbapi, _record: dbapi.set_trace_callback(_count_commit(commits)))
    return lambda: len(commits)


def _count_commit(commits: list[str]) -> Callable[[str], None]:
    def trace(statement: str) -> None:
        if statement.strip().upper() == "COMMIT":
            commits.append(statement)

    return trace


def test_checks_logged_together_share_one_commit(engine: Engine) -> None:
    transactions = _transactions(engine)
    store = AuditStore(engine, b"k" * 32)
    outcome = _burst(store, [f"card-{index}" for index in range(WRITERS)], engine)
    assert all(isinstance(check_id, int) for check_id in outcome.values()) and len(outcome) == WRITERS
    assert len(set(outcome.values())) == WRITERS
    assert 1 <= transactions() <= 2, f"{WRITERS} checks logged together took {transactions()} commits"
    logged = {row["hook_instance"]: row["id"] for row in store.checks()}
    assert logged == outcome


def test_a_row_that_cannot_be_written_fails_alone(engine: Engine) -> None:
    store = AuditStore(engine, b"k" * 32)
    cards = [f"card-{index}" for index in range(WRITERS)]
    cards[3] = cards[5] = "card-twice"  # the card uuid is unique: the second of the two cannot be stored
    outcome = _burst(store, cards, engine)
    failed = sorted(instance for instance, result in outcome.items() if isinstance(result, IntegrityError))
    assert len(failed) == 1 and failed[0] in {"g-3", "g-5"}
    logged = {row["hook_instance"] for row in store.checks()}
    assert logged == set(outcome) - set(failed)


def test_checks_from_the_event_loop_share_one_commit_and_wait_for_it(engine: Engine) -> None:
    """Callers on the event loop (small order-signs) await the writer thread: the loop stays free while the table
    is locked, no caller has its ids before the commit, and the rows queued meanwhile share it."""
    transactions = _transactions(engine)
    store = AuditStore(engine, b"k" * 32)

    def record(index: int) -> CheckRecord:
        return store.check_record(**check_fields(f"a-{index}", f"card-{index}"))

    async def burst() -> list[list[int]]:
        with _table_locked(engine):
            waits = [asyncio.create_task(store.record_checks_async([record(index)])) for index in range(WRITERS)]
            await asyncio.sleep(0.5)  # the loop runs on while the writer waits for the lock
            assert not any(wait.done() for wait in waits), "a caller got its id before its row could be committed"
        return await asyncio.wait_for(asyncio.gather(*waits), 30)

    ids = asyncio.run(burst())
    store.close()
    assert all(len(check_ids) == 1 for check_ids in ids) and len({i for (i,) in ids}) == WRITERS
    assert 1 <= transactions() <= 2, f"{WRITERS} checks logged together took {transactions()} commits"
    logged = {row["hook_instance"]: row["id"] for row in store.checks()}
    assert logged == {f"a-{index}": check_ids[0] for index, check_ids in enumerate(ids)}


def test_a_row_from_the_event_loop_that_cannot_be_written_fails_alone(engine: Engine) -> None:
    """Each caller on the loop is given its own outcome of the shared commit: the one whose row cannot be stored
    gets the error, every other its id, and a caller that stopped waiting (its client left) does not stop them."""
    store = AuditStore(engine, b"k" * 32)
    cards = [f"card-{index}" for index in range(WRITERS)]
    cards[3] = cards[5] = "card-twice"

    async def burst() -> list[Any]:
        with _table_locked(engine):
            records = [store.check_record(**check_fields(f"e-{i}", card)) for i, card in enumerate(cards)]
            waits = [asyncio.create_task(store.record_checks_async([one])) for one in records]
            await asyncio.sleep(0.5)
            waits[0].cancel()
        return await asyncio.wait_for(asyncio.gather(*waits, return_exceptions=True), 30)

    outcome = asyncio.run(burst())
    store.close()
    assert isinstance(outcome[0], asyncio.CancelledError)
    failed = [index for index, result in enumerate(outcome) if isinstance(result, IntegrityError)]
    assert len(failed) == 1 and failed[0] in {3, 5}
    stored = {index for index, result in enumerate(outcome) if isinstance(result, list) and len(result) == 1}
    assert stored == set(range(1, WRITERS)) - set(failed)
    assert {row["hook_instance"] for row in store.checks()} == {f"e-{i}" for i in [0, *stored]}


def test_requests_ready_together_on_the_event_loop_share_one_commit(engine: Engine) -> None:
    """With no lock to hold the writer back, the rows of requests that are ready to run at the same time still
    share one commit: the writer is woken after each of them has done its work and queued its rows, not by the
    first alone (it would then take the interpreter as soon as the next request had held it long enough)."""
    transactions = _transactions(engine)
    store = AuditStore(engine, b"k" * 32)

    async def one_request(index: int) -> list[int]:
        busy_until = time.perf_counter() + 2 * sys.getswitchinterval()  # a check's own work, holding the GIL
        while time.perf_counter() < busy_until:
            pass
        return await store.record_checks_async([store.check_record(**check_fields(f"t-{index}", f"card-{index}"))])

    async def together() -> list[list[int]]:
        return await asyncio.wait_for(asyncio.gather(*(one_request(index) for index in range(WRITERS))), 30)

    ids = asyncio.run(together())
    store.close()
    assert len({i for (i,) in ids}) == WRITERS
    assert transactions() == 1, f"{WRITERS} checks ready together took {transactions()} commits"


def test_the_event_loop_does_not_wait_for_another_connections_lock(engine: Engine) -> None:
    """While another connection holds the write lock, callers on the loop wait for their rows, but the loop itself
    goes on at once: a timer on it fires on time, rather than after the database's busy timeout (30 s)."""
    store = AuditStore(engine, b"k" * 32)

    async def burst() -> tuple[float, list[list[int]]]:
        with _table_locked(engine):
            records = [store.check_record(**check_fields(f"l-{i}", f"card-{i}")) for i in range(WRITERS)]
            waits = [asyncio.create_task(store.record_checks_async([one])) for one in records]
            begin = time.perf_counter()
            await asyncio.sleep(0.05)
            timer = time.perf_counter() - begin
            assert not any(wait.done() for wait in waits)
        return timer, await asyncio.wait_for(asyncio.gather(*waits), 30)

    timer, ids = asyncio.run(burst())
    store.close()
    assert timer < 2.0, f"a 50 ms timer on the loop fired after {timer:.1f} s while the database was locked"
    assert len({i for (i,) in ids}) == WRITERS


def test_callers_on_threads_still_wait_for_the_lock_after_the_loop_has_committed(engine: Engine) -> None:
    """The loop's commits fail at once on a lock; a thread's caller, on the same store and connection afterwards,
    waits for it as before, and every row of both is stored."""
    store = AuditStore(engine, b"k" * 32)

    async def on_the_loop() -> list[list[int]]:
        records = [store.check_record(**check_fields(f"p-{i}", f"loop-card-{i}")) for i in range(4)]
        return await asyncio.gather(*(store.record_checks_async([one]) for one in records))

    loop_ids = asyncio.run(on_the_loop())
    outcome = _burst(store, [f"card-{index}" for index in range(WRITERS)], engine)
    store.close()
    assert all(isinstance(check_id, int) for check_id in outcome.values()) and len(outcome) == WRITERS
    logged = {row["hook_instance"] for row in store.checks()}
    assert logged == {f"p-{i}" for i in range(4)} | set(outcome)
    assert len(loop_ids) == 4
