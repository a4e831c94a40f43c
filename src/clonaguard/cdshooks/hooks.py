"""order-select and order-sign: draft clonazepam orders in, one card per finding out, every check audited.

The flow: draft Bundle -> clonazepam MedicationRequests -> prefetch (or fhirServer) -> patient facts and
history -> `Case` -> `check` -> cards. Rule logic stays in `clonaguard.rules`; this module only translates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from clonaguard.cdshooks.alternatives import Alternative, safer_regimen
from clonaguard.cdshooks.cards import NOT_CHECKED, data_notes_card, finding_card, not_checked_card
from clonaguard.cdshooks.discovery import HOOK_OF_SERVICE
from clonaguard.cdshooks.models import HookRequest
from clonaguard.cdshooks.prefetch import bundle_resources, gather, parse_bundle, parse_patient_data
from clonaguard.check import check, parse_case
from clonaguard.db.audit import AuditStore, CardRecord
from clonaguard.errors import HookMismatchError, InvalidInputError
from clonaguard.fhir.codes import MEDICATION_REQUEST_CATEGORY
from clonaguard.fhir.corrected import corrected_medication_request
from clonaguard.fhir.orders import OrderReading, SigReader, UnreadableOrderError, is_clonazepam, read_order
from clonaguard.fhir.patient import PatientDataError, PatientFacts, read_patient_facts
from clonaguard.labels.schema import Label


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


def _reference_ids(selections: list[str]) -> set[str]:
    return {selection.rsplit("/", 1)[-1] for selection in selections}


def handle_order_hook(service_id: str, request: HookRequest, deps: HookDeps) -> dict[str, Any]:
    """The cards for one hook call. Errors: HookMismatchError, InvalidFhirError, PrefetchMissingError."""
    hook = HOOK_OF_SERVICE[service_id]
    if request.hook != hook:
        raise HookMismatchError(f"hook: this service answers {hook!r}, the request is for {request.hook!r}")
    draft = parse_bundle(request.context.draftOrders, "context.draftOrders")
    orders = bundle_resources(draft, "MedicationRequest")
    if hook == "order-select" and request.context.selections is not None:
        selected = _reference_ids(request.context.selections)
        orders = [order for order in orders if order.id in selected]
    clonazepam = [order for order in orders if is_clonazepam(order, deps.label)]
    if not clonazepam:
        return {"cards": []}
    data = parse_patient_data(gather(request, deps.fhir_timeout, deps.fhir_servers))
    draft_ids = {order.id for order in orders if order.id}
    history = [
        med
        for med in data.medications
        if is_clonazepam(med, deps.label) and (med.id is None or med.id not in draft_ids)
    ]
    cards: list[dict[str, Any]] = []
    try:
        facts: PatientFacts | None = read_patient_facts(data.patient, data.observations, data.conditions, deps.today)
    except PatientDataError as exc:
        facts, missing_reason = None, str(exc)
    for order in clonazepam:
        if facts is None:
            cards += _record_not_checked(request, deps, missing_reason)
            continue
        cards += _check_order(request, deps, order, facts, history)
    if facts is not None and facts.notes:
        cards.append(data_notes_card(facts.notes, deps.label))
    return {"cards": cards}


def _record_not_checked(request: HookRequest, deps: HookDeps, reason: str) -> list[dict[str, Any]]:
    card = not_checked_card(reason, deps.label)
    deps.store.record_check(
        channel="cds-hooks",
        hook=request.hook,
        hook_instance=request.hookInstance,
        patient_id=request.context.patientId,
        daily_dose_mg=None,
        findings=[(NOT_CHECKED, "warning")],
        label=deps.label_name,
        cards=[CardRecord(card["uuid"], NOT_CHECKED, "warning")],
    )
    return [card]


def _setting(order: Any) -> str:
    for concept in order.category or []:
        for coding in concept.coding or []:
            if coding.system == MEDICATION_REQUEST_CATEGORY and coding.code == "inpatient":
                return "inpatient"
    return "outpatient"


def _history_orders(history: list[Any], deps: HookDeps) -> tuple[list[dict[str, Any]], bool]:
    """Earlier clonazepam orders that can be read and dated, oldest first; and whether any exist at all."""
    dated: list[OrderReading] = []
    for med in history:
        try:
            reading = read_order(med, deps.label, deps.sig_reader)
        except (UnreadableOrderError, InvalidInputError):
            continue
        if reading.start is not None and reading.start <= deps.today:
            dated.append(reading)
    dated.sort(key=lambda reading: reading.start or deps.today)
    orders = [
        {"start": r.start.isoformat() if r.start else None, "dose_mg": r.dose_mg, "times_per_day": r.times_per_day}
        for r in dated
    ]
    return orders, bool(history)


def _check_order(
    request: HookRequest, deps: HookDeps, order: Any, facts: PatientFacts, history: list[Any]
) -> list[dict[str, Any]]:
    try:
        reading = read_order(order, deps.label, deps.sig_reader)
        earlier, continuing = _history_orders(history, deps)
        case = parse_case(
            {
                "today": deps.today.isoformat(),
                "patient": {
                    "age_years": facts.age_years,
                    "weight_kg": facts.weight_kg,
                    "pregnant": facts.pregnant,
                    "breastfeeding": facts.breastfeeding,
                    "alcohol_use": facts.alcohol_use,
                },
                "setting": _setting(order),
                "continuing": continuing,
                "orders": [
                    *earlier,
                    {
                        "start": deps.today.isoformat(),
                        "dose_mg": reading.dose_mg,
                        "times_per_day": reading.times_per_day,
                    },
                ],
            }
        )
    except (UnreadableOrderError, InvalidInputError) as exc:
        return _record_not_checked(request, deps, str(exc).replace("\n", "; "))
    report = check(case, deps.label)
    alternative: Alternative | None = None
    if report.findings:
        alternative, _ = safer_regimen(case, deps.label)
    resource: dict[str, Any] | None = None
    cards = []
    for finding in report.findings:
        update = None
        if alternative is not None and finding.code not in alternative.codes:
            if resource is None:
                resource = corrected_medication_request(
                    order,
                    alternative.dose_mg,
                    alternative.times_per_day,
                    deps.label.administration.instructions,
                )
            update = (alternative.dose_mg, alternative.times_per_day, resource)
        cards.append(finding_card(finding, deps.label, (reading.dose_mg, reading.times_per_day), update))
    deps.store.record_check(
        channel="cds-hooks",
        hook=request.hook,
        hook_instance=request.hookInstance,
        patient_id=request.context.patientId,
        daily_dose_mg=report.daily_dose_mg,
        findings=[(f.code, f.severity.value) for f in report.findings],
        label=deps.label_name,
        cards=[
            CardRecord(card["uuid"], f.code, f.severity.value) for card, f in zip(cards, report.findings, strict=True)
        ],
    )
    return cards
