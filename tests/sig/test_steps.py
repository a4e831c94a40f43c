"""Multi-step sigs: each step with its dose, frequency and duration; "then stop" as a last step."""

from __future__ import annotations

from clonaguard.sig import parse_sig


def test_a_taper_reads_as_steps() -> None:
    parsed = parse_sig("0.5 mg bid x 3 days then 0.25 mg bid x 3 days then stop")
    assert parsed.dose is None and parsed.timing is None  # nobody reads step 1 as the whole sig
    first, second, stop = parsed.steps
    assert first.dose_mg is not None and first.dose_mg.max == 0.5
    assert second.dose_mg is not None and second.dose_mg.max == 0.25
    assert first.duration is not None and (first.duration.value, first.duration.unit) == (3, "d")
    assert stop.stop and parsed.ends_with_stop
    assert len(parsed.dosing_steps()) == 2


def test_a_step_without_dose_or_frequency_keeps_the_one_before() -> None:
    parsed = parse_sig("clonazepam 1 mg tid x 3 days then 0.5 mg x 3 days then daily x 3 days then stop")
    doses = [s.dose_mg.max if s.dose_mg else None for s in parsed.dosing_steps()]
    frequencies = [s.timing.frequency if s.timing else None for s in parsed.dosing_steps()]
    assert doses == [1, 0.5, 0.5]
    assert frequencies == [3, 3, 1]


def test_the_strength_in_step_one_serves_every_step() -> None:
    parsed = parse_sig("clonazepam 0.5 mg: 1 tab bid x 3 days then 2 tabs bid")
    assert [s.dose_mg.max if s.dose_mg else None for s in parsed.steps] == [0.5, 1.0]


def test_and_stop_at_the_end_is_a_stop_step() -> None:
    parsed = parse_sig("0.5 mg tid for 2 weeks and stop")
    assert [s.stop for s in parsed.steps] == [False, True]


def test_a_dose_change_rule_is_not_read_as_a_fixed_dose() -> None:
    parsed = parse_sig("1 mg tid, then reduce by 0.5 mg every 3 days")
    assert parsed.steps[1].dose is None
    assert parsed.unparsed and parsed.errors


def test_a_single_step_sig_has_no_steps() -> None:
    assert parse_sig("0.5 mg tid").steps == ()
