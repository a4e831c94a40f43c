"""The FHIR data a check needs: from the request's prefetch, else read from fhirServer, else known to be unknown.

The CDS Hooks meaning of each prefetch value is kept apart, so that unknown is never read as "no":

| value of a key | meaning | then |
|---|---|---|
| left out | the EHR did not or could not fetch it | read from fhirServer when allowed, else unavailable |
| an OperationOutcome | the EHR's fetch failed | the same |
| not valid FHIR R4 | cannot be read | the same |
| `null` | the EHR has no such data | nothing recorded |
| a Bundle without entries | the search found nothing | nothing recorded |

A request is refused (422) only for a prefetch Bundle longer than `MAX_BUNDLE_ENTRIES`.
"""

from __future__ import annotations

import json
import ssl
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any
from urllib.parse import quote

import httpx

from clonaguard.cdshooks.discovery import PREFETCH
from clonaguard.cdshooks.models import MAX_BUNDLE_ENTRIES, HookRequest
from clonaguard.errors import InvalidFhirError
from clonaguard.fhir.history import HISTORY_TYPES
from clonaguard.fhir.lenient import NotR4Error, read
from clonaguard.fhir.orders import medications_by_reference

MAX_FHIR_ANSWER_BYTES = 8 * 1_048_576
"""A fhirServer answer larger than this is named as not available (500 Bundle entries fit many times over)."""


class _Unavailable(Exception):
    """One prefetch key could not be had; the message says why."""


@dataclass(slots=True)
class PatientData:
    """The prefetched resources: Patient, observations and conditions as the R4 fields read of them
    (`clonaguard.fhir.fields`); medication history as sent
    (each entry is read on its own later, so one unreadable entry never hides the others)."""

    patient: Any | None = None
    history: list[Mapping[str, Any]] = field(default_factory=list)
    medications: dict[str, Mapping[str, Any]] = field(default_factory=dict)
    """Medication resources sent beside the history (as by `_include`), by reference."""
    observations: list[Any] = field(default_factory=list)
    conditions: list[Any] = field(default_factory=list)
    unavailable: dict[str, str] = field(default_factory=dict)
    """Prefetch key -> why it is not available."""
    empty: set[str] = field(default_factory=set)
    """Keys for which nothing is recorded (null, or a Bundle without entries)."""


def bundle_entries(value: Any, expression: str) -> list[Mapping[str, Any]]:
    """The resources of a Bundle as sent (no R4 validation: EHRs leave out `type`, add fields, mix versions)."""
    if not isinstance(value, Mapping) or value.get("resourceType") != "Bundle":
        raise NotR4Error("expected a FHIR Bundle (resourceType Bundle)")
    entries = value.get("entry", [])
    if not isinstance(entries, list):
        raise NotR4Error("Bundle.entry is not a list")
    if len(entries) > MAX_BUNDLE_ENTRIES:
        raise InvalidFhirError(
            f"{expression}.entry", f"holds {len(entries)} entries; at most {MAX_BUNDLE_ENTRIES} are read per Bundle"
        )
    resources = [entry.get("resource") for entry in entries if isinstance(entry, Mapping)]
    return [resource for resource in resources if isinstance(resource, Mapping)]


def _is_outcome(value: Any) -> bool:
    return isinstance(value, Mapping) and value.get("resourceType") == "OperationOutcome"


def _outcome_text(value: Mapping[str, Any]) -> str:
    issues = value.get("issue")
    issues = issues if isinstance(issues, list) else []
    texts = [str(i.get("diagnostics")) for i in issues if isinstance(i, Mapping) and i.get("diagnostics")]
    return f" ({'; '.join(texts)[:200]})" if texts else ""


def missing_keys(request: HookRequest) -> list[str]:
    """Prefetch keys the EHR did not give (left out, or answered with an OperationOutcome)."""
    given = request.prefetch or {}
    return [key for key in PREFETCH if key not in given or _is_outcome(given[key])]


def _read_key(data: PatientData, key: str, value: Any, expression: str) -> None:
    """Add one key's value to `data`; NotR4Error when it cannot be read (nothing is added then)."""
    if value is None:
        data.empty.add(key)
        return
    if key == "patient":
        if isinstance(value, Mapping) and value.get("resourceType") == "Bundle":
            patients = [r for r in bundle_entries(value, expression) if r.get("resourceType") == "Patient"]
            if len(patients) > 1:
                raise NotR4Error("a Bundle of more than one Patient")
            if not patients:
                data.empty.add(key)
                return
            value = patients[0]
        data.patient = read(value, "Patient")
        return
    resources = bundle_entries(value, expression)
    observations = [read(r) for r in resources if r.get("resourceType") == "Observation"]
    conditions = [read(r) for r in resources if r.get("resourceType") == "Condition"]
    data.observations += observations
    data.conditions += conditions
    data.history += [r for r in resources if r.get("resourceType") in HISTORY_TYPES]
    data.medications.update(medications_by_reference(resources))
    if not resources:
        data.empty.add(key)


def gather(request: HookRequest, timeout: float, allowed: tuple[str, ...] | None = ()) -> PatientData:
    """Every prefetch key: as given by the EHR, else read from fhirServer, else named in `unavailable`.

    Only a fhirServer in `allowed` (base URLs; None for any) is read, so that a caller cannot make the
    service send requests to an address of its choosing.
    """
    given = request.prefetch or {}
    data = PatientData()
    wanted: dict[str, str] = {}
    for key in PREFETCH:
        if key not in given:
            wanted[key] = "not sent by the EHR"
        elif _is_outcome(given[key]):
            wanted[key] = f"the EHR could not fetch it{_outcome_text(given[key])}"
        else:
            try:
                _read_key(data, key, given[key], f"prefetch.{key}")
            except NotR4Error as exc:
                wanted[key] = f"sent as {exc}"
    if wanted:
        _fetch_all(request, data, wanted, timeout, allowed)
    return data


@cache
def _tls() -> ssl.SSLContext:
    """One TLS context for every fetch: building it takes a tenth of a second, more than a loopback fetch."""
    return httpx.create_ssl_context()


def may_fetch(request: HookRequest, allowed: tuple[str, ...] | None) -> bool:
    """Whether answering the request may read from its fhirServer (a network wait), or only what it holds."""
    base = (request.fhirServer or "").rstrip("/")
    if not base:
        return False
    return allowed is None or any(base == server or base.startswith(f"{server}/") for server in allowed)


def _fetch_all(
    request: HookRequest, data: PatientData, wanted: dict[str, str], timeout: float, allowed: tuple[str, ...] | None
) -> None:
    base = (request.fhirServer or "").rstrip("/")
    if not base:
        data.unavailable.update({key: f"{why}, and the request gives no fhirServer" for key, why in wanted.items()})
        return
    if not may_fetch(request, allowed):
        data.unavailable.update(
            {key: f"{why}, and its fhirServer is not one this service may read" for key, why in wanted.items()}
        )
        return
    headers = {"Accept": "application/fhir+json"}
    if request.fhirAuthorization is not None:
        headers["Authorization"] = f"Bearer {request.fhirAuthorization.access_token}"
    patient_id = quote(request.context.patientId, safe="")
    with httpx.Client(timeout=timeout, follow_redirects=False, verify=_tls()) as http:
        for key, why in wanted.items():
            query = PREFETCH[key].replace("{{context.patientId}}", patient_id)
            try:
                _read_key(data, key, _fetch(http, f"{base}/{query}", headers, key), f"fhirServer {key}")
            except (_Unavailable, NotR4Error, InvalidFhirError) as exc:
                data.unavailable[key] = f"{why}, and reading it from the fhirServer failed: {exc}"


def _fetch(http: httpx.Client, url: str, headers: dict[str, str], key: str) -> Any:
    """One read, bounded in total time (not only per network read: a server dripping bytes is cut off) and size."""
    timeout = http.timeout.read or 5.0
    deadline = time.monotonic() + timeout
    try:
        with http.stream("GET", url, headers=headers) as response:
            if response.status_code == 404 and key == "patient":
                return None
            if response.status_code != 200:
                raise _Unavailable(f"the server answered HTTP {response.status_code}")
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if time.monotonic() > deadline:
                    raise _Unavailable(f"the server did not answer in full within {timeout:g} s")
                if len(body) > MAX_FHIR_ANSWER_BYTES:
                    raise _Unavailable(f"the answer is larger than {MAX_FHIR_ANSWER_BYTES} bytes")
    except httpx.HTTPError as exc:
        raise _Unavailable(f"the server could not be reached ({type(exc).__name__})") from exc
    try:
        return json.loads(body)
    except ValueError as exc:
        raise _Unavailable("the answer is not JSON") from exc
