"""Values computed elsewhere: PKPDsim's reference and NONMEM ADVAN2 output published in mrgsolve's nmtests."""

from __future__ import annotations

import csv
from itertools import groupby
from pathlib import Path

import numpy as np
import pytest

from clonaguard.pk.engine import Subjects, simulate
from clonaguard.pk.events import CENTRAL, DEPOT, Event

NMTESTS = Path(__file__).with_name("data") / "nmtests-1001.csv"


def _pkpdsim_subject() -> Subjects:
    return Subjects("1cmt", np.array([10.0]), np.array([50.0]), np.array([0.5]))


@pytest.mark.parametrize(("cmt", "expected"), [(DEPOT, 0.389), (CENTRAL, 0.242)])
def test_pkpdsim_reference_at_23_hours(cmt: int, expected: float) -> None:
    """CL 10, V 50, KA 0.5, 100 every 12 h from 0: 0.389 at 23 h orally, 0.242 into the central compartment."""
    value = simulate(_pkpdsim_subject(), [Event(time=0.0, amt=100.0, cmt=cmt, ii=12.0, addl=10)], [23.0])[0, 0]
    assert round(float(value), 3) == expected


def _nmtests() -> dict[int, list[dict[str, str]]]:
    with NMTESTS.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(line for line in handle if not line.startswith("#")))
    return {int(key): list(group) for key, group in groupby(rows, key=lambda row: row["ID"])}


SUBJECTS = _nmtests()


@pytest.mark.parametrize("subject", sorted(SUBJECTS))
def test_nonmem_advan2_output_to_its_five_significant_digits(subject: int) -> None:
    """Subject 1 is the plain multiple-dose case (100 into the depot every 24 h, 4 doses); the others add lag,
    bioavailability, infusions, steady state (ss=1, ss=2) and resets (evid 3, 4)."""
    rows = SUBJECTS[subject]
    events = [
        Event(
            time=float(r["TIME"]),
            amt=float(r["AMT"]),
            evid=int(r["EVID"]),
            cmt=int(r["CMT"]),
            ii=float(r["II"]),
            addl=int(r["ADDL"]),
            ss=int(r["SS"]),
            rate=float(r["RATE"]),
        )
        for r in rows
        if r["EVID"] != "0"
    ]
    observed = [r for r in rows if r["EVID"] == "0"]
    group = Subjects(
        "1cmt",
        np.array([1.1]),
        np.array([20.0]),
        np.array([1.5]),
        bioavailability={2: float(rows[0]["BIOAV"])},
        lag={2: float(rows[0]["LAGT"])},
    )
    predicted = simulate(group, events, [float(r["TIME"]) for r in observed])[0] * 1000
    reference = np.array([float(r["CP"]) for r in observed])
    assert len(reference) > 100
    np.testing.assert_allclose(predicted, reference, rtol=5e-5, atol=1e-9)
