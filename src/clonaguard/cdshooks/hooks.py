"""order-select and order-sign: draft clonazepam orders in, one card per finding out, every check audited.

The flow: draft Bundle -> clonazepam MedicationRequests (everything else passed over unread) -> prefetch (or
fhirServer) -> what is known of the patient and their history -> `Case` -> `check` -> cards, and one info card
for what was not available. Rule logic stays in `clonaguard.rules`; this module only translates.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from clonaguard.alternatives import Alternative, safer_regimen
from clonaguard.cdshooks.ageless import check_at_every_age
from clonaguard.cdshooks.availability import availability_notes
from clonaguard.cdshooks.cards import (
    AGE_NOT_CHECKED,
    DATA_NOT_READ,
    NOT_CHECKED,
    age_not_checked_card,
    finding_card,
    not_available_card,
    not_checked_card,
)
from clonaguard.cdshooks.discovery import HOOK_OF_SERVICE
from clonaguard.cdshooks.models import MAX_DRAFT_ENTRIES, HookRequest
from clonaguard.cdshooks.prefetch import gather
from clonaguard.check import check, parse_case
from clonaguard.db.audit import AuditStore, CardRecord, CheckRecord
from clonaguard.errors import ClonaguardError, HookMismatchError, InvalidFhirError
from clonaguard.fhir.codes import MEDICATION_REQUEST_CATEGORY
from clonaguard.fhir.corrected import corrected_medication_request
from clonaguard.fhir.history import counts_as_use, read_history_entry
from clonaguard.fhir.lenient import NotR4Error, as_r4, newer_shape, read
from clonaguard.fhir.orders import OrderReading, SigReader, is_clonazepam, medications_by_reference, read_order
from clonaguard.fhir.patient import PatientFacts, read_patient_facts
from clonaguard.labels.schema import Label
from clonaguard.model import Order, Report

UNREADABLE = (ClonaguardError, NotR4Error, ValueError, OverflowError)
"""What reading one resource may raise: the project's errors, and an overflowing date from a long duration."""


@dataclass(frozen=True, slots=True)
class HookDeps:
    """What a hook call needs from the service: the label, the audit store, the day, the sig reader."""

    label: Label
    label_name: str
    store: AuditStore
    today: date
    fhir_timeout: float
    fhir_servers: tuple[str, ...] | None = ()
    sig_reader: SigReader | None = None


@dataclass(frozen=True, slots=True)
class HookAnswer:
    """The cards to send, and the audit rows that must be committed before they are sent."""

    response: dict[str, Any]
    checks: list[CheckRecord]


@dataclass(slots=True)
class _Checked:
    """One checked order, ready for the audit log: its cards with their codes and severities."""

    cards: list[dict[str, Any]]
    codes: list[tuple[str, str]]
    daily_dose_mg: float | None = None
    notes: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _History:
    orders: list[dict[str, Any]] = field(default_factory=list)
    continuing: bool = False
    notes: list[str] = field(default_factory=list)


def draft_entries(draft: Any) -> list[Mapping[str, Any]]:
    """The resources of context.draftOrders as sent; InvalidFhirError only for a Bundle that cannot be read."""
    if not isinstance(draft, Mapping) or draft.get("resourceType") != "Bundle":
        raise InvalidFhirError("context.draftOrders", "expected a FHIR Bundle (resourceType Bundle)")
    entries = draft.get("entry", [])
    if not isinstance(entries, list):
        raise InvalidFhirError("context.draftOrders.entry", "expected a list of entries")
    if len(entries) > MAX_DRAFT_ENTRIES:
        raise InvalidFhirError(
            "context.draftOrders.entry",
            f"holds {len(entries)} entries; at most {MAX_DRAFT_ENTRIES} draft orders are checked per request",
        )
    resources = [entry.get("resource") for entry in entries if isinstance(entry, Mapping)]
    return [resource for resource in resources if isinstance(resource, Mapping)]


def _selected(orders: list[Mapping[str, Any]], selections: list[str]) -> list[Mapping[str, Any]]:
    ids = {selection.rsplit("/", 1)[-1] for selection in selections}
    return [order for order in orders if order.get("id") in ids]


def handle_order_hook(service_id: str, request: HookRequest, deps: HookDeps) -> dict[str, Any]:
    """The cards for one hook call, once their audit rows are committed (on this thread's turn)."""
    answer = answer_order_hook(service_id, request, deps)
    if answer.checks:
        deps.store.record_checks(answer.checks)
    return answer.response


def answer_order_hook(service_id: str, request: HookRequest, deps: HookDeps) -> HookAnswer:
    """The cards for one hook call and their audit rows, not yet written.
    Errors: HookMismatchError, InvalidFhirError (a broken envelope only)."""
    hook = HOOK_OF_SERVICE[service_id]
    if request.hook != hook:
        raise HookMismatchError(f"hook: this service answers {hook!r}, the request is for {request.hook!r}")
    entries = draft_entries(request.context.draftOrders)
    orders = [r for r in entries if r.get("resourceType") == "MedicationRequest"]
    if hook == "order-select" and request.context.selections is not None:
        orders = _selected(orders, request.context.selections)
    medications = medications_by_reference(entries)
    clonazepam = [order for order in orders if is_clonazepam(order, deps.label, medications)]
    if not clonazepam:
        return HookAnswer({"cards": []}, [])
    data = gather(request, deps.fhir_timeout, deps.fhir_servers)
    facts = read_patient_facts(data.patient, data.observations, data.conditions, deps.today)
    draft_ids = {order.get("id") for order in orders if order.get("id")}
    earlier = [r for r in data.history if r.get("id") is None or r.get("id") not in draft_ids]
    history = _read_history(earlier, {**medications, **data.medications}, deps)
    checked = [_check_order(deps, order, facts, history) for order in clonazepam]
    notes = [*availability_notes(data, facts, deps.label), *history.notes, *facts.notes]
    notes += [note for result in checked for note in result.notes]
    if notes:
        card = not_available_card(notes, deps.label)
        checked[0].cards.append(card)
        checked[0].codes.append((DATA_NOT_READ, "info"))
    records = [
        deps.store.check_record(
            channel="cds-hooks",
            hook=request.hook,
            hook_instance=request.hookInstance,
            patient_id=request.context.patientId,
            daily_dose_mg=result.daily_dose_mg,
            findings=result.codes,
            label=deps.label_name,
            cards=[
                CardRecord(card["uuid"], code, severity)
                for card, (code, severity) in zip(result.cards, result.codes, strict=True)
            ],
        )
        for result in checked
    ]
    return HookAnswer({"cards": [card for result in checked for card in result.cards]}, records)


def _name(resource: Mapping[str, Any]) -> str:
    kind = str(resource.get("resourceType"))
    return f"{kind}/{resource['id']}" if isinstance(resource.get("id"), str) else f"a {kind} without id"


def _read_history(
    resources: list[Mapping[str, Any]], medications: Mapping[str, Mapping[str, Any]], deps: HookDeps
) -> _History:
    """Earlier clonazepam use that can be read and dated, oldest first; each unreadable entry is passed over
    and named, never allowed to stop the check of the draft order."""
    history = _History()
    dated: list[Order] = []
    for resource in resources:
        if not is_clonazepam(resource, deps.label, medications) or not counts_as_use(resource):
            continue
        history.continuing = True
        try:
            reading = read_history_entry(resource, deps.label, deps.sig_reader)
            if reading.start is None or reading.start > deps.today:
                continue
            dated.append(Order(start=reading.start, dose_mg=reading.dose_mg, times_per_day=reading.times_per_day))
        except UNREADABLE as exc:
            reason = str(exc).replace("\n", "; ")[:300]
            history.notes.append(
                f"Earlier clonazepam {_name(resource)} could not be read ({reason}). Titration pace, course "
                "length and taper steps were checked without it."
            )
    dated.sort(key=lambda order: order.start or deps.today)
    history.orders = [order.model_dump(mode="json", exclude_defaults=True) for order in dated]
    return history


def _setting(order: Any) -> str:
    for concept in order.category or []:
        for coding in concept.coding or []:
            if coding.system == MEDICATION_REQUEST_CATEGORY and coding.code == "inpatient":
                return "inpatient"
    return "outpatient"


def _case(deps: HookDeps, order: Any, facts: PatientFacts, history: _History, reading: OrderReading) -> dict[str, Any]:
    today = deps.today.isoformat()
    return {
        "today": today,
        "patient": {
            **({"age_years": facts.age_years} if facts.age_years is not None else {}),
            "pregnant": facts.pregnant,
            "breastfeeding": facts.breastfeeding,
            "alcohol_use": facts.alcohol_use,
        },
        "setting": _setting(order),
        "continuing": history.continuing,
        "orders": [
            *history.orders,
            {
                "start": today,
                "dose_mg": reading.dose_mg,
                "times_per_day": reading.times_per_day,
                "dose_basis": reading.dose_basis,
            },
        ],
    }


def _not_checked(reason: str, deps: HookDeps) -> _Checked:
    return _Checked([not_checked_card(reason.replace("\n", "; "), deps.label)], [(NOT_CHECKED, "warning")])


def _check_order(deps: HookDeps, raw: Mapping[str, Any], facts: PatientFacts, history: _History) -> _Checked:
    """The cards for one draft order. Only the fields read are validated, unless there is a finding: then the
    whole order is validated as R4, since a corrected order gives all of it back (or it is named as not R4)."""
    try:
        order = read(raw, "MedicationRequest")
        reading = read_order(order, deps.label, deps.sig_reader)
        data = _case(deps, order, facts, history, reading)
        if facts.age_years is None:
            report = check_at_every_age(data, deps.label, deps.today)
        else:
            report = check(parse_case(data, today=deps.today), deps.label)
    except UNREADABLE as exc:
        return _not_checked(str(exc), deps)
    ordered = (reading.dose_mg, reading.times_per_day)
    whole, notes = _whole_order(raw) if report.findings else (None, [])
    alternative: Alternative | None = None
    if whole is not None and facts.age_years is not None:
        alternative, _ = safer_regimen(parse_case(data, today=deps.today), deps.label)
    cards = _finding_cards(deps, whole, report, ordered, alternative)
    codes = [(f.code, f.severity.value) for f in report.findings]
    if facts.age_years is None:
        cards.insert(0, age_not_checked_card(facts.age_problem or "no birth date", ordered, deps.label))
        codes.insert(0, (AGE_NOT_CHECKED, "warning"))
    return _Checked(cards, codes, report.daily_dose_mg, notes)


def _whole_order(raw: Mapping[str, Any]) -> tuple[dict[str, Any] | None, list[str]]:
    """The order in R4 shape once validated as R4 in full, or None and the note that says why no corrected order
    is offered."""
    try:
        as_r4(raw, "MedicationRequest")
    except NotR4Error as exc:
        return None, [
            f"The draft {_name(raw)} is not valid FHIR R4 ({exc}). Its medication and dosage were "
            "read and checked; no corrected order is offered for it."
        ]
    return newer_shape(raw), []


def _finding_cards(
    deps: HookDeps,
    whole: Mapping[str, Any] | None,
    report: Report,
    ordered: tuple[float, int],
    alternative: Alternative | None,
) -> list[dict[str, Any]]:
    resource: dict[str, Any] | None = None
    cards = []
    for finding in report.findings:
        update = None
        if whole is not None and alternative is not None and finding.code not in alternative.codes:
            if resource is None:
                resource = corrected_medication_request(
                    whole,
                    alternative.dose_mg,
                    alternative.times_per_day,
                    deps.label.administration.instructions,
                )
            update = (alternative.dose_mg, alternative.times_per_day, resource)
        cards.append(finding_card(finding, deps.label, ordered, update, report.dose_basis))
    return cards
