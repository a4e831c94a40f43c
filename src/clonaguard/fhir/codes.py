"""Code systems and the standard codes the service reads (documented in the README, "Service")."""

from __future__ import annotations

RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"
ATC = "http://www.whocc.no/atc"
UCUM = "http://unitsofmeasure.org"
ICD10_CM = "http://hl7.org/fhir/sid/icd-10-cm"
ICD10 = "http://hl7.org/fhir/sid/icd-10"
GTS_ABBREVIATION = "http://terminology.hl7.org/CodeSystem/v3-GTSAbbreviation"
MEDICATION_REQUEST_CATEGORY = "http://terminology.hl7.org/CodeSystem/medicationrequest-category"

PREGNANCY_STATUS = "82810-3"  # LOINC Pregnancy status
BREASTFEEDING_STATUS = "63895-7"  # LOINC Breastfeeding status
ALCOHOLIC_DRINKS_PER_DAY = "74013-4"  # LOINC Alcoholic drinks per day
ALCOHOL_USE_STATUS = "11331-6"  # LOINC History of alcohol use (alcohol use status)

PREGNANT = "77386006"  # SNOMED CT Pregnant
NOT_PREGNANT = "60001007"  # SNOMED CT Not pregnant
CURRENTLY_BREASTFEEDING = "LA29252-6"  # LOINC answer Currently breastfeeding
NOT_BREASTFEEDING = "LA29253-4"  # LOINC answer Not currently breastfeeding

# SNOMED CT values of alcohol use status that mean the patient drinks alcohol, and those that mean not.
DRINKER_CODES = frozenset(
    {
        "219006",  # Current drinker of alcohol
        "28127009",  # Social drinker
        "228276006",  # Occasional drinker
        "266917007",  # Occasional drinker, less than one unit a day
        "160575005",  # Light drinker
        "160576006",  # Moderate drinker
        "160577002",  # Heavy drinker
        "160578007",  # Very heavy drinker
    }
)
NON_DRINKER_CODES = frozenset({"105542008", "82581004"})  # Current non-drinker; Ex-drinker

# Conditions that mean alcohol use: ICD-10(-CM) F10 and everything below it; SNOMED CT disorders.
ALCOHOL_ICD10_PREFIX = "F10"
ALCOHOL_SNOMED_CONDITIONS = frozenset(
    {
        "7200002",  # Alcoholism
        "15167005",  # Alcohol abuse
        "66590003",  # Alcohol dependence
    }
)

TIMES_PER_DAY_ABBREVIATIONS = {"QD": 1, "AM": 1, "PM": 1, "BID": 2, "TID": 3, "QID": 4}
TABLET_UNITS = frozenset({"{tbl}", "tbl", "tab", "tabs", "tablet", "tablets", "TAB"})
