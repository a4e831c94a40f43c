"""FHIR OperationOutcome: how every error of the service is told (CDS Hooks and REST alike)."""

from __future__ import annotations

from typing import Any

# FHIR issue-type codes by HTTP status: what kind of problem the caller has.
_ISSUE_CODE = {
    400: "invalid",
    401: "login",
    403: "forbidden",
    404: "not-found",
    405: "not-supported",
    409: "conflict",
    413: "too-costly",
    415: "not-supported",
    422: "invalid",
}


def issue_code(status: int) -> str:
    return _ISSUE_CODE.get(status, "processing")


def operation_outcome(
    diagnostics: str | list[str], *, code: str = "invalid", severity: str = "error", expression: str | None = None
) -> dict[str, Any]:
    """One issue per diagnostics line; `expression` names the element at fault when there is one."""
    lines = [diagnostics] if isinstance(diagnostics, str) else diagnostics
    issues: list[dict[str, Any]] = []
    for line in lines or ["The request could not be processed."]:
        issue: dict[str, Any] = {"severity": severity, "code": code, "diagnostics": line}
        if expression:
            issue["expression"] = [expression]
        issues.append(issue)
    return {"resourceType": "OperationOutcome", "issue": issues}
