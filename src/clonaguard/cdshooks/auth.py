"""CDS Hooks client authentication: the EHR's signed JWT (trusted issuer, audience, expiry, single-use jti)."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from typing import Any

import jwt
from jwt import PyJWK, PyJWKClient, PyJWKSet
from pydantic import BaseModel, ConfigDict, model_validator

from clonaguard.db.audit import AuditStore
from clonaguard.errors import AuthenticationError, ReplayedTokenError

# Asymmetric algorithms only: an EHR signs with its private key, we hold no shared secret.
ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"]
REQUIRED_CLAIMS = ["iss", "sub", "aud", "exp", "iat", "jti"]


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


class JwtVerifier:
    def __init__(
        self, issuers: dict[str, TrustedIssuer], store: AuditStore, *, leeway: int = 30, max_lifetime: int = 3600
    ) -> None:
        self._issuers = issuers
        self._store = store
        self._leeway = leeway
        self._max_lifetime = max_lifetime
        self._jwks_clients: dict[str, PyJWKClient] = {}

    def verify(self, authorization: str | None, audience: str) -> dict[str, Any]:
        """The token's claims when it is acceptable for `audience`; its jti is used up by this call."""
        token = _bearer(authorization)
        try:
            unverified = jwt.decode(token, options={"verify_signature": False})
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise AuthenticationError("the bearer token is not a well-formed JWT") from exc
        issuer = unverified.get("iss")
        if not isinstance(issuer, str) or issuer not in self._issuers:
            raise AuthenticationError("the token's issuer (iss) is not trusted by this service")
        key = self._key(issuer, token, header)
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key,
                algorithms=ALGORITHMS,
                audience=audience,
                issuer=issuer,
                leeway=self._leeway,
                options={"require": REQUIRED_CLAIMS},
            )
        except jwt.ExpiredSignatureError as exc:
            raise AuthenticationError("the token has expired (exp)") from exc
        except jwt.InvalidAudienceError as exc:
            raise AuthenticationError(f"the token's audience (aud) is not this service ({audience})") from exc
        except jwt.MissingRequiredClaimError as exc:
            raise AuthenticationError(f"the token lacks the required claim {exc.claim!r}") from exc
        except jwt.PyJWTError as exc:
            raise AuthenticationError(f"the token is not valid: {exc}") from exc
        except (ValueError, TypeError) as exc:  # e.g. an ES256 token against the issuer's RSA key
            raise AuthenticationError("the token's algorithm does not match the issuer's key") from exc
        expires = claims["exp"]
        if not isinstance(expires, int | float) or expires > time.time() + self._max_lifetime + self._leeway:
            raise AuthenticationError(f"the token's exp is more than {self._max_lifetime} seconds away")
        jti = claims["jti"]
        if not isinstance(jti, str) or not jti:
            raise AuthenticationError("the token's jti must be a non-empty string")
        try:
            self._store.use_token(jti, issuer, datetime.fromtimestamp(expires + self._leeway, UTC))
        except ReplayedTokenError as exc:
            raise ReplayedTokenError("the token's jti has been used before (replay)") from exc
        return claims

    def _key(self, issuer: str, token: str, header: dict[str, Any]) -> Any:
        trusted = self._issuers[issuer]
        try:
            if trusted.public_key_pem is not None:
                return trusted.public_key_pem
            if trusted.jwks is not None:
                return _from_jwks(PyJWKSet.from_dict(trusted.jwks), header.get("kid"))
            assert trusted.jwks_url is not None
            client = self._jwks_clients.get(issuer)
            if client is None:
                client = self._jwks_clients[issuer] = PyJWKClient(trusted.jwks_url, cache_keys=True, timeout=5)
            return client.get_signing_key_from_jwt(token).key
        except (jwt.PyJWTError, json.JSONDecodeError, KeyError, ValueError) as exc:
            raise AuthenticationError(f"no key of the issuer matches the token: {exc}") from exc


def _from_jwks(keys: PyJWKSet, kid: Any) -> Any:
    candidates: list[PyJWK] = [key for key in keys.keys if kid is None or key.key_id == kid]
    if len(candidates) != 1:
        raise AuthenticationError("no single key of the issuer's JWKS matches the token's kid")
    return candidates[0].key


def _bearer(authorization: str | None) -> str:
    if not authorization:
        raise AuthenticationError("the request has no Authorization header (Bearer JWT required)")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthenticationError("the Authorization header must be 'Bearer <JWT>'")
    return token.strip()
