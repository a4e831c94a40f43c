"""Service configuration from CLONAGUARD_* environment variables; the defaults need no other service."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from clonaguard.cdshooks.auth import TrustedIssuer
from clonaguard.service.fhirserver import normalise_fhir_server


class Settings(BaseSettings):
    """Each field is one CLONAGUARD_* variable; the documentation's configuration reference is built from them."""

    model_config = SettingsConfigDict(env_prefix="CLONAGUARD_", extra="ignore")

    database_url: str = Field(
        default="sqlite:///./var/clonaguard.db", description="Any SQLAlchemy URL; SQLite and PostgreSQL are tested."
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(default="INFO", description="Log level.")
    label: str = Field(default="clonazepam-leaflet", description="Label profile the services check against.")
    max_body_bytes: int = Field(
        default=1_048_576, ge=1024, le=64 * 1_048_576, description="Larger request bodies are answered 413."
    )
    public_url: str | None = Field(
        default=None,
        description="Base URL the EHR calls (e.g. https://cds.example.org); the JWT audience is "
        "{public_url}/cds-services/{id}. Set it when authentication is on. Default: each request's own base URL.",
    )
    jwt_issuers: dict[str, TrustedIssuer] = Field(
        default_factory=dict,
        description='JSON object, issuer -> one of {"jwks_url": ...}, {"jwks": {"keys": [...]}}, '
        '{"public_key_pem": "-----BEGIN PUBLIC KEY-----..."}. Empty: CDS Hooks authentication is off.',
    )
    jwt_leeway_seconds: int = Field(default=30, ge=0, le=300, description="Clock skew allowed on exp and iat.")
    jwt_max_lifetime_seconds: int = Field(
        default=3600, ge=60, le=86_400, description="A token whose exp is further away than this is refused."
    )
    audit_hash_key: str | None = Field(
        default=None, min_length=16, description="Key of the patient-id hash (HMAC-SHA256); else audit_key_file."
    )
    audit_key_file: Path = Field(
        default=Path("var/audit.key"),
        description="File holding the patient-id hash key when CLONAGUARD_AUDIT_HASH_KEY is not set; created with "
        "permissions 0600 when missing. Never stored in the database.",
    )
    store_feedback_text: bool = Field(
        default=False,
        description="Store the free text of card feedback (override reason display, user comment) in the audit "
        "log. Off by default: free text can name a patient.",
    )
    max_concurrent_work: int = Field(
        default=4, ge=1, le=64, description="Checks, plans and audit writes run at once in worker threads; more wait."
    )
    keep_alive_seconds: int = Field(default=5, gt=0, le=300, description="Idle keep-alive connections close.")
    header_timeout_seconds: float = Field(
        default=10.0, gt=0, le=300, description="A connection whose request headers are not complete by then closes."
    )
    body_timeout_seconds: float = Field(
        default=30.0, gt=0, le=600, description="A request body not received in full by then is answered 408."
    )
    fhir_timeout_seconds: float = Field(
        default=5.0, gt=0, le=60, description="Timeout of each read from the EHR's fhirServer."
    )
    fhir_servers: list[str] = Field(
        default_factory=list,
        description="JSON list of base URLs of FHIR servers prefetch may be read from. Empty: any fhirServer "
        "when CDS Hooks authentication is on (the EHR's signed JWT vouches for it), none when it is off.",
    )

    @property
    def readable_fhir_servers(self) -> tuple[str, ...] | None:
        """The fhirServer bases the service may read from; None for any (authentication on, no list)."""
        if not self.fhir_servers and self.auth_enabled:
            return None
        return tuple(normalise_fhir_server(server, "CLONAGUARD_FHIR_SERVERS") for server in self.fhir_servers)

    @property
    def auth_enabled(self) -> bool:
        return bool(self.jwt_issuers)
