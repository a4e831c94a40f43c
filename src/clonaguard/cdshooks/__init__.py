"""CDS Hooks 2.0 for clonazepam orders: discovery, order-select / order-sign cards, feedback, JWT auth."""

from clonaguard.cdshooks.discovery import HOOK_OF_SERVICE, PREFETCH, SERVICE_IDS, discovery
from clonaguard.cdshooks.hooks import HookDeps, handle_order_hook
from clonaguard.errors import HookMismatchError, InvalidFhirError

__all__ = [
    "HOOK_OF_SERVICE",
    "PREFETCH",
    "SERVICE_IDS",
    "HookDeps",
    "HookMismatchError",
    "InvalidFhirError",
    "discovery",
    "handle_order_hook",
]
