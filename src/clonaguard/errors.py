"""The small hierarchy of errors clonaguard raises on purpose."""


class ClonaguardError(Exception):
    """Base of every error clonaguard raises on purpose."""


class InvalidInputError(ClonaguardError, ValueError):
    """Input that cannot be checked; the message names the field and what it accepts."""


class LabelError(ClonaguardError):
    """A label profile that is missing, malformed or cites text its document does not contain."""
