"""Service configuration from CLONAGUARD_* environment variables; the defaults need no other service."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class TrustedIssuer(BaseModel):
    """An EHR allowed to call the CDS services: its keys as a JWKS URL, an inline JWKS, or one PEM public key."""

    model_config = ConfigDict(extra="forbid")

    jwks_url: str | None = None
    jwks: dict[str, object] | None = None
    public_key_pem: str | None = None

    @model_validator(mode="after")
    def _one_key_source(self) -> TrustedIssuer:
        given = [name for name in ("jwks_url", "jwks", "public_key_pem") if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of jwks_url, jwks, public_key_pem")
        return self


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
        default=None,
        description="Key of the HMAC-SHA256 that replaces patient ids in the audit log. Default: a random key "
        "kept in the database; set it to keep the key out of the database.",
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
        return tuple(server.rstrip("/") for server in self.fhir_servers)

    @property
    def auth_enabled(self) -> bool:
        return bool(self.jwt_issuers)
