"""The FHIR data a check needs: from the request's prefetch, else read from fhirServer, else a 412."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import httpx
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.patient import Patient
from pydantic import ValidationError

from clonaguard.cdshooks.discovery import PREFETCH
from clonaguard.cdshooks.models import HookRequest
from clonaguard.errors import InvalidFhirError, PrefetchMissingError


@dataclass(slots=True)
class PatientData:
    """The prefetched resources, parsed as R4 (`fhir.resources.R4B`)."""

    patient: Any | None
    medications: list[Any] = field(default_factory=list)
    observations: list[Any] = field(default_factory=list)
    conditions: list[Any] = field(default_factory=list)


def describe_fhir_errors(exc: ValidationError, limit: int = 5) -> str:
    parts = []
    for error in exc.errors(include_url=False)[:limit]:
        location = ".".join(str(part) for part in error["loc"] if not str(part).startswith("function-"))
        parts.append(f"{location}: {error['msg']}" if location else error["msg"])
    more = len(exc.errors()) - limit
    return "; ".join(parts) + (f"; and {more} more" if more > 0 else "")


def parse_bundle(value: Any, expression: str) -> Any:
    if not isinstance(value, dict) or value.get("resourceType") != "Bundle":
        raise InvalidFhirError(expression, "expected a FHIR Bundle (resourceType Bundle)")
    try:
        return Bundle.model_validate(value)
    except ValidationError as exc:
        raise InvalidFhirError(expression, f"not a valid FHIR R4 Bundle: {describe_fhir_errors(exc)}") from exc
    except (ValueError, TypeError) as exc:
        raise InvalidFhirError(expression, f"not a valid FHIR R4 Bundle: {exc}") from exc


def bundle_resources(bundle: Any, resource_type: str) -> list[Any]:
    return [
        entry.resource
        for entry in bundle.entry or []
        if entry.resource is not None and entry.resource.get_resource_type() == resource_type
    ]


def _is_outcome(value: Any) -> bool:
    return isinstance(value, dict) and value.get("resourceType") == "OperationOutcome"


def missing_keys(request: HookRequest) -> list[str]:
    """Prefetch keys the EHR did not satisfy (left out, or answered with an OperationOutcome)."""
    given = request.prefetch or {}
    return [key for key in PREFETCH if key not in given or _is_outcome(given[key])]


def gather(request: HookRequest, timeout: float, allowed: tuple[str, ...] | None = ()) -> dict[str, Any]:
    """Every prefetch key's value: given by the EHR, or read from fhirServer with fhirAuthorization.

    Only a fhirServer in `allowed` (base URLs; None for any) is read, so that a caller cannot make the
    service send requests to an address of its choosing.
    """
    given = request.prefetch or {}
    values: dict[str, Any] = {}
    missing = missing_keys(request)
    values.update({key: given[key] for key in PREFETCH if key not in missing})
    if not missing:
        return values
    if request.fhirServer is None:
        raise PrefetchMissingError(
            f"prefetch is missing {', '.join(missing)} and the request gives no fhirServer to read it from"
        )
    headers = {"Accept": "application/fhir+json"}
    if request.fhirAuthorization is not None:
        headers["Authorization"] = f"Bearer {request.fhirAuthorization.access_token}"
    base = request.fhirServer.rstrip("/")
    if allowed is not None and not any(base == server or base.startswith(f"{server}/") for server in allowed):
        raise PrefetchMissingError(
            f"prefetch is missing {', '.join(missing)} and fhirServer {base} is not one this service may read "
            "(CLONAGUARD_FHIR_SERVERS)"
        )
    patient_id = quote(request.context.patientId, safe="")
    with httpx.Client(timeout=timeout, follow_redirects=False) as http:
        for key in missing:
            query = PREFETCH[key].replace("{{context.patientId}}", patient_id)
            values[key] = _fetch(http, f"{base}/{query}", headers, key)
    return values


def _fetch(http: httpx.Client, url: str, headers: dict[str, str], key: str) -> Any:
    try:
        response = http.get(url, headers=headers)
    except httpx.HTTPError as exc:
        raise PrefetchMissingError(
            f"prefetch {key}: the FHIR server could not be reached ({type(exc).__name__})"
        ) from exc
    if response.status_code == 404 and key == "patient":
        return None
    if response.status_code != 200:
        raise PrefetchMissingError(f"prefetch {key}: the FHIR server answered HTTP {response.status_code}")
    try:
        return response.json()
    except ValueError as exc:
        raise PrefetchMissingError(f"prefetch {key}: the FHIR server's answer is not JSON") from exc


def parse_patient_data(values: dict[str, Any]) -> PatientData:
    """Parse the gathered values as R4 resources; anything that is not valid FHIR is an InvalidFhirError."""
    patient = values.get("patient")
    parsed_patient = None
    if patient is not None:
        if not isinstance(patient, dict) or patient.get("resourceType") != "Patient":
            raise InvalidFhirError("prefetch.patient", "expected a FHIR Patient")
        try:
            parsed_patient = Patient.model_validate(patient)
        except ValidationError as exc:
            raise InvalidFhirError(
                "prefetch.patient", f"not a valid FHIR R4 Patient: {describe_fhir_errors(exc)}"
            ) from exc
        except (ValueError, TypeError) as exc:
            raise InvalidFhirError("prefetch.patient", f"not a valid FHIR R4 Patient: {exc}") from exc
    data = PatientData(parsed_patient)
    for key in PREFETCH:
        if key == "patient" or values.get(key) is None:
            continue
        bundle = parse_bundle(values[key], f"prefetch.{key}")
        data.medications += bundle_resources(bundle, "MedicationRequest")
        data.observations += bundle_resources(bundle, "Observation")
        data.conditions += bundle_resources(bundle, "Condition")
    return data
