"""Food and drink instructions ("with meals", "between meals", "with milk"), negations included.

The instructions travel with the order (`Order.food_drink`); the rule in `clonaguard.rules.administration`
judges which contradict the leaflet's between meals, with water only.
"""

from __future__ import annotations

import re

from clonaguard.sig.phrases import PhrasePattern, pattern
from clonaguard.sig.reading import StepReading

_MEAL = r"(?:food|meals?|a meal|eating|breakfast|lunch|dinner|supper)"
_DRINK = r"(?:water|milk|(?:orange |grapefruit |apple |fruit )?juice|coffee|tea|soda|cola|alcohol|wine|beer)"
_MEAL_CODE = {"breakfast": "M", "lunch": "D", "dinner": "V", "supper": "V"}
_RELATION = {
    "with": ("with food", "C"),
    "during": ("with food", "C"),
    "at": ("with food", "C"),
    "after": ("after food", "PC"),
    "before": ("before food", "AC"),
}
_LATIN = {"ac": ("before food", "AC"), "pc": ("after food", "PC"), "cc": ("with food", "C")}


def _add(reading: StepReading, instruction: str, code: str | None = None) -> None:
    if instruction not in reading.instructions:
        reading.instructions.append(instruction)
    if code and code not in reading.food_when:
        reading.food_when.append(code)


def _negated(match: re.Match[str], reading: StepReading) -> None:
    what = match.group("what")
    _add(reading, f"not with {what.removeprefix('a glass of ')}" if what else "without food")


def _meals(match: re.Match[str], reading: StepReading) -> None:
    words, code = _RELATION[match.group("rel")]
    meal = _MEAL_CODE.get(match.group("meal"), "")
    _add(reading, words, code + meal if code != "C" or meal else code)


def _latin(match: re.Match[str], reading: StepReading) -> None:
    words, code = _LATIN[match.group("code")]
    _add(reading, words, code)


_OFFSET_UNITS = {"min": "minutes", "mins": "minutes", "minute": "minutes", "minutes": "minutes", "h": "hours",
                 "hr": "hours", "hrs": "hours", "hour": "hours", "hours": "hours"}  # fmt: skip


def _offset(match: re.Match[str], reading: StepReading) -> None:
    words, code = _RELATION[match.group("rel")]
    amount = f"{match.group('n')} {_OFFSET_UNITS[match.group('unit')]}"
    if match.group("meal"):
        _add(reading, f"{amount} {words}", code)
    else:
        _add(reading, f"{amount} {match.group('rel')} bedtime", "HS")


PATTERNS: tuple[PhrasePattern, ...] = (
    pattern(
        r"(?<![\w.,/-])(?P<n>\d{1,3}) ?(?P<unit>minutes?|mins?|hours?|hrs?|h) (?P<rel>before|after) (?:your |a |each )?"
        r"(?:(?P<meal>" + _MEAL + r")|bed(?:time)?|sleep)\b",
        "#",
        _offset,
        ("before", "after"),
    ),
    pattern(
        r"\b(?:do not|don't|dont|not|never|avoid)(?: take| taking| drink| eat| have)?(?: it| this)?(?: with)? ?"
        r"(?P<what>" + _MEAL + r"|(?:a glass of )?" + _DRINK + r")\b|\bwithout (?P<without>" + _MEAL + r")\b",
        "do don't dont not never avoid without",
        _negated,
    ),
    pattern(r"\bbetween meals\b", "between", lambda m, r: _add(r, "between meals")),
    pattern(r"\bon an? empty stomach\b", "on", lambda m, r: _add(r, "on an empty stomach")),
    pattern(
        r"\bwith (?:a |one )?(?:full |large |small )?(?:glass |cup )?(?:of )?(?P<drink>" + _DRINK + r")(?: only)?\b",
        "with",
        lambda m, r: _add(r, f"with {m.group('drink')}"),
    ),
    pattern(
        r"\b(?P<rel>with|after|before|during|at) (?:your |a |each )?(?P<meal>" + _MEAL + r")\b",
        "with after before during at",
        _meals,
    ),
    pattern(r"\b(?P<code>ac|pc|cc)\b", "ac pc cc", _latin),
)
