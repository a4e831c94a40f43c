"""dosageInstruction.text through the sig reader (`clonaguard.sig`): one certain regimen, or the reasons not."""

from __future__ import annotations

from datetime import date

from clonaguard.fhir.orders import SigReader, UnreadableOrderError
from clonaguard.labels.schema import Label
from clonaguard.model import DoseBasis
from clonaguard.regimens import format_mg
from clonaguard.units import same_mg


def default_sig_reader(label: Label) -> SigReader | None:
    """A reader backed by `clonaguard.sig.sig_orders`."""
    from clonaguard.sig import SigError, parse_sig, sig_orders

    def read(text: str, strength_mg: float | None) -> tuple[float, int, DoseBasis]:
        written = parse_sig(text).strength_mg
        if strength_mg is not None and written is not None and not same_mg(written, strength_mg):
            raise UnreadableOrderError(
                f"the dosage text names {format_mg(written)} mg tablets but the ordered product is "
                f"{format_mg(strength_mg)} mg tablets"
            )
        try:
            orders, stop = sig_orders(text, date(2000, 1, 1))
        except SigError as exc:
            if strength_mg is None or "dose in mg is unknown" not in str(exc):
                raise UnreadableOrderError(f"the dosage text could not be read with certainty: {exc}") from exc
            # The coded product gives the tablet strength the text leaves out; a conflicting one is refused.
            try:
                orders, stop = sig_orders(f"{text} ({format_mg(strength_mg)} mg tablets)", date(2000, 1, 1))
            except SigError as again:
                raise UnreadableOrderError(f"the dosage text could not be read with certainty: {again}") from again
        if len(orders) != 1 or stop is not None:
            raise UnreadableOrderError("the dosage text has several steps; send each step as its own order")
        return orders[0].dose_mg, orders[0].times_per_day, orders[0].dose_basis

    return read
