"""Properties of the parser on arbitrary and adversarial text.

Invariants: only the project's own error is ever raised (and only for text that is too long), nothing
hangs, and every dose is a number written in the text (or a count of tablets times a written strength).
"""

from __future__ import annotations

import contextlib
import re
import threading
from datetime import date
from itertools import product

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clonaguard.errors import InvalidInputError
from clonaguard.sig import ParsedSig, parse_sig, sig_orders, to_fhir_dosage, uncertainties
from clonaguard.sig.orders import SigError
from clonaguard.sig.text import MAX_SIG_LENGTH, normalise
from clonaguard.sig.written_numbers import number_value

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

PIECES = st.sampled_from(
    [
        "clonazepam", "Klonopin", "Rivotril", "lorazepam", "0.5 mg", "0,5 mg", "500 mcg", "1 g", "2mg", "1 tab",
        "1/2 tablet", "½", "one and a half", "ii", "tabs", "1-2", "1 or 2", "up to 3", "tid", "bid", "q8h", "q4-6h",
        "every 12 hours", "qhs", "nocte", "mane", "1-0-1", "3 times a day", "x 3 days", "for 3 months", "2/52",
        "then", "then stop", "prn", "as needed for panic", "as directed", "po", "sl", "with milk", "between meals",
        "max 3/day", "max 3 tablets per day", "per day", "/kg", "(", ")", ",", ";", "-", ".", "#90", "0", "x",
        "1,000", "1.2.3", "every other day", "at bedtime", "reduce by",
    ]
)  # fmt: skip
SIGS = st.lists(PIECES, min_size=1, max_size=12).map(" ".join)
TEXT = st.text(st.characters(codec="utf-8"), max_size=300)
_NUMBER = re.compile(r"\d+ \d+/\d+|\d+/\d+|\d+(?:[.,]\d+)*|[.,]\d+")


def written_numbers(text: str) -> set[float]:
    values = set()
    for match in _NUMBER.finditer(normalise(text)):
        with contextlib.suppress(InvalidInputError):
            values.add(number_value(match.group()))
    values |= {1.0, 2.0, 3.0, 4.0}  # "a tablet", roman i-iv
    return values


def allowed_mg(text: str) -> set[float]:
    """Every amount in mg the text can give: a number, in mcg or g, or a count times a strength."""
    numbers = written_numbers(text)
    amounts = numbers | {round(n / 1000, 9) for n in numbers} | {round(n * 1000, 9) for n in numbers}
    return (
        amounts
        | {round(a * b, 9) for a, b in product(numbers, amounts)}
        | {round(a / b, 9) for a, b in product(amounts, numbers) if b}
    )


def doses(parsed: ParsedSig) -> list[float]:
    found = []
    for step in parsed.dosing_steps():
        for pair in (step.dose, step.dose_mg):
            if pair is not None:
                found += [value for value in (pair.min, pair.max) if value is not None]
    return found


@FUZZ
@given(TEXT)
def test_arbitrary_text_never_raises(text: str) -> None:
    parsed = parse_sig(text)
    assert parsed.text == text
    to_fhir_dosage(parsed)
    uncertainties(parsed)


@FUZZ
@given(SIGS)
def test_every_dose_is_written_in_the_text(text: str) -> None:
    parsed = parse_sig(text)
    allowed = allowed_mg(text)
    for value in doses(parsed):
        assert value > 0
        assert round(value, 9) in allowed, (text, value)


@FUZZ
@given(SIGS)
def test_orders_come_only_from_a_certain_reading(text: str) -> None:
    parsed = parse_sig(text)
    problems = uncertainties(parsed)
    try:
        orders, _ = sig_orders(parsed, date(2026, 1, 1))
    except SigError as exc:
        assert exc.problems == problems and problems
        return
    assert not problems and not parsed.unparsed and not parsed.errors
    for order in orders:
        assert order.dose_mg > 0 and order.times_per_day >= 1
        assert round(order.dose_mg, 9) in allowed_mg(text)


@FUZZ
@given(SIGS)
def test_case_and_spacing_do_not_change_the_reading(text: str) -> None:
    plain, shouted = parse_sig(text), parse_sig("  " + text.upper().replace(" ", "   ") + " ")
    assert (plain.dose, plain.dose_mg, plain.timing, plain.as_needed) == (
        shouted.dose,
        shouted.dose_mg,
        shouted.timing,
        shouted.as_needed,
    )


def test_text_longer_than_the_limit_is_the_projects_error() -> None:
    try:
        parse_sig("1" * (MAX_SIG_LENGTH + 1))
    except InvalidInputError as exc:
        assert "2000" in str(exc)
    else:
        raise AssertionError("expected InvalidInputError")


ADVERSARIAL = [
    "1" * MAX_SIG_LENGTH,
    "1," * (MAX_SIG_LENGTH // 2),
    "1." * (MAX_SIG_LENGTH // 2),
    "1-" * (MAX_SIG_LENGTH // 2),
    "1 " * (MAX_SIG_LENGTH // 2),
    "a " * (MAX_SIG_LENGTH // 2),
    "q" * MAX_SIG_LENGTH,
    "t.i.d." * (MAX_SIG_LENGTH // 6),
    "1 1/2 " * (MAX_SIG_LENGTH // 6),
    "0.5 mg " * (MAX_SIG_LENGTH // 7),
    "then " * (MAX_SIG_LENGTH // 5),
    "every " * (MAX_SIG_LENGTH // 6),
    "max up to " * (MAX_SIG_LENGTH // 10),
    "for " * (MAX_SIG_LENGTH // 4),
    "prn " * (MAX_SIG_LENGTH // 4),
    "½" * MAX_SIG_LENGTH,
    ("1-" * 30 + "x ") * (MAX_SIG_LENGTH // 63),
]


def test_long_adversarial_inputs_finish() -> None:
    """No catastrophic backtracking: every adversarial input of the maximum length is read, in time."""
    done: list[ParsedSig] = []

    def work() -> None:
        done.extend(parse_sig(text) for text in ADVERSARIAL)

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    thread.join(timeout=20)
    assert not thread.is_alive(), "parsing did not finish: a pattern backtracks"
    assert len(done) == len(ADVERSARIAL)
