"""The three severities as module constants, for the rules to name on every finding.

Read through its class (`Severity.WARNING`), an enum member costs about a tenth of a microsecond on Python 3.11,
more than most comparisons a rule makes; as a module constant it is one name lookup. Each is the member itself.
"""

from __future__ import annotations

from typing import Final

from clonaguard.model import Severity

INFO: Final = Severity.INFO
WARNING: Final = Severity.WARNING
CRITICAL: Final = Severity.CRITICAL
