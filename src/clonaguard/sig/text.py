"""Normalising a sig: one spelling for each thing, so each component needs one pattern for it."""

from __future__ import annotations

import re

MAX_SIG_LENGTH = 2000

_FRACTIONS = {"½": "1/2", "¼": "1/4", "¾": "3/4"}
_FRACTION_CHARS = re.compile("(\\d?)([½¼¾])")
# Epic writes a count twice, "2 (two) times daily", and a total, "(1 mg total)": one count, an amount in brackets.
_WRITTEN_TWICE = re.compile(r"\b(\d+) \(([a-z-]+)\)")
_TOTAL = re.compile(r"\(([\d.,/ ]+ ?m[cg]g?) total\)")
_DOTTED = re.compile(r"\b(?:[a-z]\.){2,}(?:[a-z]\b\.?)?|\b[a-z]\.[a-z]\b")
_LETTER_DOT_LETTER = re.compile(r"[a-z]\.[a-z]")  # in every _DOTTED match: without it, "0.5 mg" needs no rewrite
_SPACES = re.compile(r"\s+")
_TRANSLATE = str.maketrans(
    {"µ": "mc", "μ": "mc", "–": "-", "—": "-", "×": "x", "’": "'", "\u00a0": " ", "“": '"', "”": '"'}
)


def words(text: str) -> frozenset[str]:
    """A vocabulary written as one string of words."""
    return frozenset(text.split())


def normalise(text: str) -> str:
    """Lower case, one space between words, "t.i.d." as "tid", "½" and "half" as "1/2", "three" as "3"."""
    value = text.lower()
    if not value.isascii():  # every character _TRANSLATE maps is outside ASCII
        value = value.translate(_TRANSLATE)
    if "½" in value or "¼" in value or "¾" in value:
        value = _FRACTION_CHARS.sub(
            lambda m: f"{m.group(1)} {_FRACTIONS[m.group(2)]}" if m.group(1) else _FRACTIONS[m.group(2)], value
        )
    if "." in value and _LETTER_DOT_LETTER.search(value):
        value = _DOTTED.sub(lambda m: m.group().replace(".", ""), value)
    value = _SPACES.sub(" ", value).strip() if "  " in value or not value.isprintable() else value.strip()
    if "(" in value:
        value = _WRITTEN_TWICE.sub(_once, value)
        value = _TOTAL.sub(r"(\1)", value)
    if _NUMBER_HINT.search(value):
        value = _NUMBER_WORD.sub(_number_word, value)
    return value


def _once(match: re.Match[str]) -> str:
    """ "2 (two)" is 2; "2 (three)" stays as written, and its second number is then refused."""
    digits, word = match.groups()
    return digits if _NUMBER_WORDS.get(word) == int(digits) else match.group()


_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "fourteen": 14, "fifteen": 15,
    "twenty-four": 24, "twenty": 20, "thirty": 30, "sixty": 60, "ninety": 90,
}  # fmt: skip
_WORD_ALTERNATION = "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
_NUMBER_WORD = re.compile(
    r"\b(?:(?P<whole>\d+|" + _WORD_ALTERNATION + r") and (?:a|one) half|(?P<half>(?:one|a)[ -]half|half an?|half)"
    r"|(?P<quarter>(?:one|a)[ -]quarter|quarter)|(?P<word>" + _WORD_ALTERNATION + r"))\b"
)
_NUMBER_HINT = re.compile("|".join([*_NUMBER_WORDS, "half", "quarter"]))


def _number_word(match: re.Match[str]) -> str:
    whole = match.group("whole")
    if whole:
        return f"{_NUMBER_WORDS.get(whole, whole)} 1/2"
    if match.group("half"):
        return "1/2"
    if match.group("quarter"):
        return "1/4"
    return str(_NUMBER_WORDS[match.group("word")])
