"""Drug names: clonazepam and its brands map to clonazepam; another drug is reported, never ignored."""

from __future__ import annotations

import re

from clonaguard.sig.phrases import PhrasePattern, pattern
from clonaguard.sig.reading import StepReading
from clonaguard.sig.text import words

CLONAZEPAM = "clonazepam"
# The label's `identity.names` (a test keeps the two lists equal).
CLONAZEPAM_NAMES = ("clonazepam", "klonopin", "rivotril")

# Drugs often written in the same prescriptions; any other unknown word is still reported as unparsed.
OTHER_DRUGS = words(
    "alprazolam xanax lorazepam ativan diazepam valium temazepam restoril oxazepam chlordiazepoxide librium "
    "midazolam clobazam onfi zolpidem ambien zopiclone eszopiclone lunesta gabapentin neurontin pregabalin lyrica "
    "sertraline zoloft fluoxetine prozac paroxetine paxil citalopram celexa escitalopram lexapro venlafaxine "
    "effexor duloxetine cymbalta quetiapine seroquel olanzapine zyprexa risperidone risperdal aripiprazole "
    "lamotrigine lamictal levetiracetam keppra valproate valproic depakote carbamazepine tegretol phenytoin "
    "dilantin topiramate topamax phenobarbital oxcarbazepine trileptal lacosamide ethosuximide oxycodone "
    "hydrocodone tramadol morphine codeine methadone buprenorphine propranolol hydroxyzine buspirone trazodone "
    "mirtazapine amitriptyline nortriptyline melatonin amoxicillin ibuprofen paracetamol acetaminophen aspirin "
    "metformin lisinopril atorvastatin amlodipine omeprazole prednisone prednisolone levothyroxine warfarin"
)
# "Lamotrigine 25 mg ...": an unknown first word right before a number is read as a drug name.
LEADING_NAME = re.compile(r"([a-z][a-z-]{3,}) (?=[\d.,])")
NOT_NAMES = words(
    "take takes give use tab tabs tablet tablets pill pills cap caps capsule capsules dose doses then every each "
    "daily max maximum half only sig inject apply chew dissolve place swallow for over during"
)


def _clonazepam(match: re.Match[str], reading: StepReading) -> None:
    reading.names_clonazepam = True


def _other(match: re.Match[str], reading: StepReading) -> None:
    reading.other_drugs.append(match.group())


PATTERNS: tuple[PhrasePattern, ...] = (
    pattern(r"\b(?:clonazepam|klonopin|rivotril)\b(?: (?:odt|wafers?))?", " ".join(CLONAZEPAM_NAMES), _clonazepam),
    pattern(r"\b[a-z]+\b", " ".join(sorted(OTHER_DRUGS)), _other),
)
