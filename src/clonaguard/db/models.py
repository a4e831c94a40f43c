"""Tables of the audit log. No names or raw identifiers: a patient is a keyed hash."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class CheckLog(Base):
    """One checked order: when, through which hook or request, for whom (hashed), the dose, the findings."""

    __tablename__ = "check_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    channel: Mapped[str] = mapped_column(String(40))
    hook: Mapped[str | None] = mapped_column(String(80))
    hook_instance: Mapped[str] = mapped_column(String(200), index=True)
    patient_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    daily_dose_mg: Mapped[float | None] = mapped_column(Float)
    findings: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    label: Mapped[str] = mapped_column(String(100))


class CardLog(Base):
    """A CDS Hooks card given in answer to a check, so that feedback can name it."""

    __tablename__ = "card_log"

    uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    check_id: Mapped[int] = mapped_column(ForeignKey("check_log.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(60))
    severity: Mapped[str] = mapped_column(String(10))


class FeedbackLog(Base):
    """What the clinician did with a card: accepted, or overridden with a reason and a comment."""

    __tablename__ = "feedback_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    card_uuid: Mapped[str] = mapped_column(ForeignKey("card_log.uuid", ondelete="CASCADE"), unique=True)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    outcome: Mapped[str] = mapped_column(String(20))
    outcome_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    accepted_suggestions: Mapped[list[str]] = mapped_column(JSON)
    override_system: Mapped[str | None] = mapped_column(String(500))
    override_code: Mapped[str | None] = mapped_column(String(200))
    override_display: Mapped[str | None] = mapped_column(String(500))
    comment: Mapped[str | None] = mapped_column(Text)


class UsedToken(Base):
    """A JWT id already presented (SHA-256 of issuer and jti): a second use is a replay. Kept until the token
    would have expired."""

    __tablename__ = "used_token"

    jti: Mapped[str] = mapped_column(String(255), primary_key=True)
    issuer: Mapped[str] = mapped_column(String(500))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
