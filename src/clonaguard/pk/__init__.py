"""Pharmacokinetics: what a regimen, a plan or a case does to the clonazepam level (a model prediction).

The public surface:

- `Event`: a NONMEM-style dosing record (time, amt, evid, cmt, ii, addl, ss, rate; evid 3/4 resets).
- `Subjects`, `simulate(subjects, events, times)`: linear 1- and 2-compartment models with first-order
  absorption, lag time and bioavailability, in closed form from event to event, vectorised over subjects.
- `from_doses`, `from_sig`, `from_plan`, `from_case`: dosing records from actual doses, a sig, a plan, a case.
- `load_model()`: the model file (`clonazepam-pk.yaml`, every value with its source), `typical(...)`.
- `SimulateRequest`, `run(request, label)`: the answer of `clonaguard simulate --json` and `POST /v1/simulate`.

Names are loaded on first use, so importing this package does not import NumPy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from clonaguard.lazy import lazy_exports

if TYPE_CHECKING:
    from clonaguard.pk.dosing import Dosing, from_doses
    from clonaguard.pk.engine import Subjects, simulate
    from clonaguard.pk.events import Event
    from clonaguard.pk.parameters import PkModel, Typical, load_model, typical
    from clonaguard.pk.request import SimulateRequest
    from clonaguard.pk.simulate import run
    from clonaguard.pk.sources import from_case, from_plan, from_sig

_WHERE = {
    "Dosing": "dosing",
    "from_doses": "dosing",
    "Subjects": "engine",
    "simulate": "engine",
    "Event": "events",
    "PkModel": "parameters",
    "Typical": "parameters",
    "load_model": "parameters",
    "typical": "parameters",
    "SimulateRequest": "request",
    "run": "simulate",
    "from_case": "sources",
    "from_plan": "sources",
    "from_sig": "sources",
}


__getattr__ = lazy_exports(__name__, _WHERE)


__all__ = [
    "Dosing",
    "Event",
    "PkModel",
    "SimulateRequest",
    "Subjects",
    "Typical",
    "from_case",
    "from_doses",
    "from_plan",
    "from_sig",
    "load_model",
    "run",
    "simulate",
    "typical",
]
