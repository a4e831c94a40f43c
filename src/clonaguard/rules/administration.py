"""How the pills are taken: the leaflet says between meals and with water only."""

from __future__ import annotations

from clonaguard.labels.schema import Label
from clonaguard.model import Case, Finding
from clonaguard.rules.severities import INFO


def takes_food_or_drink(instruction: str) -> bool:
    """True for an instruction to take the dose with or after food, or with a drink other than water."""
    return (
        instruction in {"with food", "after food"}
        or instruction.endswith(" after food")
        or (instruction.startswith("with ") and instruction != "with water")
    )


def between_meals(label: Label, case: Case) -> list[Finding]:
    """An instruction to take the dose with or after food, or with a drink other than water, is worth a note."""
    order = case.checked_order
    conflicting = [instruction for instruction in order.food_drink if takes_food_or_drink(instruction)]
    if not conflicting:
        return []
    admin = label.administration
    said = " and ".join(f"“{instruction}”" for instruction in conflicting)
    return [
        Finding(
            "ADMINISTRATION_NOT_BETWEEN_MEALS",
            INFO,
            f"The instructions say {said}; the leaflet says to take the pills {admin.instructions}.",
            admin.instructions_source,
            f"Take the pills {admin.instructions}.",
            len(case.orders) - 1,
        )
    ]
