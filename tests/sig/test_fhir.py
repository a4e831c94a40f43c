"""FHIR R4 Dosage (fhir.resources.R4B) from parsed sigs."""

from __future__ import annotations

from fhir.resources.R4B.dosage import Dosage

from clonaguard.sig import parse_sig, to_fhir_dosage


def test_a_single_step_sig_is_one_dosage() -> None:
    (dosage,) = to_fhir_dosage(parse_sig("Klonopin 0,5 mg 1 tab po q8h prn panic, max 3/day"))
    assert isinstance(dosage, Dosage)
    data = dosage.model_dump(mode="json", exclude_none=True)
    assert data["timing"]["repeat"] == {"frequency": 1, "period": 8.0, "periodUnit": "h"}
    assert data["asNeededCodeableConcept"] == {"text": "panic"}
    assert data["route"]["coding"][0]["code"] == "26643006"
    quantity = data["doseAndRate"][0]["doseQuantity"]
    assert (quantity["value"], quantity["code"]) == (1.0, "TAB")
    assert data["maxDosePerPeriod"]["numerator"]["value"] == 3.0
    assert data["maxDosePerPeriod"]["denominator"]["code"] == "d"
    assert "sequence" not in data


def test_dose_ranges_and_meal_instructions() -> None:
    (dosage,) = to_fhir_dosage(parse_sig("1-2 tabs tid with milk"))
    data = dosage.model_dump(mode="json", exclude_none=True)
    dose_range = data["doseAndRate"][0]["doseRange"]
    assert (dose_range["low"]["value"], dose_range["high"]["value"]) == (1.0, 2.0)
    assert data["additionalInstruction"] == [{"text": "with milk"}]


def test_a_taper_is_a_sequence_of_dosages_with_bounds() -> None:
    dosages = to_fhir_dosage(parse_sig("0.5 mg bid x 3 days then 0.25 mg bid x 3 days then stop"))
    data = [d.model_dump(mode="json", exclude_none=True) for d in dosages]
    assert [d["sequence"] for d in data] == [1, 2]
    assert [d["doseAndRate"][0]["doseQuantity"]["value"] for d in data] == [0.5, 0.25]
    assert [d["timing"]["repeat"]["boundsDuration"]["value"] for d in data] == [3.0, 3.0]
    assert all(d["timing"]["repeat"]["boundsDuration"]["code"] == "d" for d in data)


def test_the_dosage_round_trips_as_fhir_json() -> None:
    (dosage,) = to_fhir_dosage(parse_sig("clonazepam 0.5 mg qhs as needed"))
    again = Dosage.model_validate_json(dosage.model_dump_json())
    assert again.model_dump(mode="json", exclude_none=True)["timing"]["repeat"]["when"] == ["HS"]
    assert again.asNeededBoolean is True


def test_every_corpus_sig_gives_valid_fhir() -> None:
    from clonaguard.sig.accuracy import load_corpus
    from tests.sig.test_corpus import CORPUS

    for record in load_corpus(CORPUS):
        parsed = parse_sig(record["sig"])
        dosages = to_fhir_dosage(parsed)
        assert len(dosages) == len(parsed.dosing_steps())
        for dosage in dosages:
            Dosage.model_validate_json(dosage.model_dump_json())
