"""A `fhirServer` base URL in one normal form, so that the allow-list (CLONAGUARD_FHIR_SERVERS) is compared on
what the service would actually request: scheme and host in lower case, default port dropped, no dot segments."""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit, urlunsplit

from clonaguard.errors import InvalidInputError

_DEFAULT_PORT = {"http": 80, "https": 443}
_CONTROL = re.compile(r"[\x00-\x20\x7f]")


def normalise_fhir_server(url: str, what: str = "fhirServer") -> str:
    """The normal form of a FHIR base URL; InvalidInputError (naming `what`) for one that is not a plain base."""
    if _CONTROL.search(url):
        raise InvalidInputError(f"{what}: a URL may not hold spaces or control characters (CR, LF, NUL)")
    try:
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port
    except ValueError as exc:
        raise InvalidInputError(f"{what}: not a valid URL ({exc})") from exc
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORT or not host:
        raise InvalidInputError(f"{what}: accepted: an http:// or https:// URL with a host")
    if parts.username is not None or parts.query or parts.fragment or "#" in url or "?" in url:
        raise InvalidInputError(f"{what}: a base URL has no user name, query or fragment")
    segments = parts.path.split("/")
    if any(unquote(segment) in {".", ".."} or "\\" in unquote(segment) for segment in segments):
        raise InvalidInputError(f"{what}: dot segments ('.', '..') are not accepted in a base URL")
    netloc = f"[{host}]" if ":" in host else host
    if port is not None and port != _DEFAULT_PORT[scheme]:
        netloc += f":{port}"
    return urlunsplit((scheme, netloc, parts.path.rstrip("/"), "", ""))


def is_allowed(base: str, allowed: tuple[str, ...]) -> bool:
    """Both in normal form: `base` is one of `allowed` or below one of them (whole path segments only)."""
    return any(base == server or base.startswith(f"{server}/") for server in allowed)
