"""The audit log on SQLite and on a real PostgreSQL: migrations at start, checks, feedback, token replay."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import inspect, text

from clonaguard.db import AuditStore, CardRecord, FeedbackRecord, load_hash_key, make_engine
from clonaguard.db.migrate import upgrade
from clonaguard.errors import ReplayedTokenError, UnknownCardError
from clonaguard.service import Settings, create_app
from tests.service.conftest import TODAY
from tests.service.fhirdata import hook_request, medication_request, prefetch

TABLES = {"check_log", "card_log", "feedback_log", "used_token", "alembic_version"}
KEY = b"k" * 32


def test_app_start_migrates_an_empty_database(database_url: str) -> None:
    app = create_app(Settings(database_url=database_url), today=lambda: TODAY)
    engine = app.state.clonaguard.engine
    assert set(inspect(engine).get_table_names()) == TABLES  # no table holds the hash key
    with engine.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0002"
    upgrade(engine)  # a second start finds nothing to do
    engine.dispose()


def test_checks_and_feedback_round_trip(database_url: str) -> None:
    app = create_app(Settings(database_url=database_url, store_feedback_text=True), today=lambda: TODAY)
    with TestClient(app) as client:
        body = hook_request(medication_request(dose=4, frequency=3), prefetch_data=prefetch(), instance="db-1")
        cards = client.post("/cds-services/clonaguard-order-sign", json=body).json()["cards"]
        assert cards
        feedback = {
            "feedback": [
                {
                    "card": cards[0]["uuid"],
                    "outcome": "overridden",
                    "overrideReason": {"userComment": "seen by neurology"},
                    "outcomeTimestamp": "2026-03-01T09:00:00+01:00",
                }
            ]
        }
        assert client.post("/cds-services/clonaguard-order-sign/feedback", json=feedback).status_code == 200
        [logged] = app.state.clonaguard.store.checks("db-1")
    assert logged["daily_dose_mg"] == 12
    assert logged["feedback"][0]["comment"] == "seen by neurology"
    assert len(logged["cards"]) == len(cards)


def test_store_refuses_replayed_tokens_and_unknown_cards(database_url: str) -> None:
    engine = make_engine(database_url)
    upgrade(engine)
    store = AuditStore(engine, KEY)
    expires = datetime.now(UTC) + timedelta(minutes=5)
    store.use_token("jti-1", "https://ehr.example.org", expires)
    store.use_token("jti-1", "https://other.example.org", expires)  # ids are per issuer
    with pytest.raises(ReplayedTokenError):
        store.use_token("jti-1", "https://ehr.example.org", expires)
    record = store.check_record(
        channel="test",
        hook="order-sign",
        hook_instance="x",
        patient_id="p",
        daily_dose_mg=1.5,
        findings=[("DOSE_BELOW_MINIMUM", "info")],
        label="l",
        cards=[CardRecord("c1", "A", "info")],
    )
    (check_id,) = store.record_checks([record])
    assert check_id > 0
    with pytest.raises(UnknownCardError):
        store.record_feedback([FeedbackRecord("c1", "accepted"), FeedbackRecord("nope", "accepted")], "order-sign")
    with pytest.raises(UnknownCardError):  # a card of order-sign is not order-select's to take feedback on
        store.record_feedback([FeedbackRecord("c1", "accepted")], "order-select")
    assert store.checks("x")[0]["feedback"] == []  # all or nothing
    engine.dispose()


def test_hash_key_lives_in_a_private_file_and_survives_a_restart(database_url: str, tmp_path: Path) -> None:
    engine = make_engine(database_url)
    upgrade(engine)
    key_file = tmp_path / "keys" / "audit.key"
    first, second = AuditStore(engine, load_hash_key(None, key_file)), AuditStore(engine, load_hash_key(None, key_file))
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert first.patient_hash("p-1") == second.patient_hash("p-1") != first.patient_hash("p-2")
    configured = AuditStore(engine, load_hash_key("a-configured-key-of-length", key_file))
    assert configured.patient_hash("p-1") != first.patient_hash("p-1")
    engine.dispose()


def test_embedded_default_is_sqlite_with_wal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CLONAGUARD_DATABASE_URL", raising=False)
    app = create_app(today=lambda: TODAY)
    assert (tmp_path / "var" / "clonaguard.db").is_file()
    with app.state.clonaguard.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    app.state.clonaguard.engine.dispose()
