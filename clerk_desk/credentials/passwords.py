"""Generating passwords (``secrets``) and judging their strength (zxcvbn)."""

from __future__ import annotations

import secrets
import string
from dataclasses import dataclass

from clerk_desk.errors import ValidationError

DEFAULT_LENGTH = 20
MIN_LENGTH = 8
MAX_LENGTH = 128
# Symbols that every platform we know of accepts; quotes and backslashes trip some sign-in forms.
SYMBOLS = "!#$%&()*+,-./:;<=>?@[]^_{|}~"


@dataclass(frozen=True)
class Recipe:
    """What a generated password is made of."""

    length: int = DEFAULT_LENGTH
    lower: bool = True
    upper: bool = True
    digits: bool = True
    symbols: bool = True

    def alphabets(self) -> list[str]:
        chosen = [
            (self.lower, string.ascii_lowercase),
            (self.upper, string.ascii_uppercase),
            (self.digits, string.digits),
            (self.symbols, SYMBOLS),
        ]
        return [alphabet for wanted, alphabet in chosen if wanted]


def generate(recipe: Recipe = Recipe()) -> str:
    """A random password with at least one character of each chosen class."""
    if not MIN_LENGTH <= recipe.length <= MAX_LENGTH:
        raise ValidationError("length", f"must be between {MIN_LENGTH} and {MAX_LENGTH}")
    alphabets = recipe.alphabets()
    if not alphabets:
        raise ValidationError("characters", "choose at least one kind of character")
    everything = "".join(alphabets)
    while True:
        password = "".join(secrets.choice(everything) for _ in range(recipe.length))
        if all(any(ch in alphabet for ch in password) for alphabet in alphabets):
            return password


@dataclass(frozen=True)
class Strength:
    """zxcvbn's verdict: a score from 0 (guessable) to 4 (very strong), in words."""

    score: int
    label: str
    advice: str

    @property
    def acceptable(self) -> bool:
        return self.score >= 3


LABELS = ("Very weak", "Weak", "Fair", "Strong", "Very strong")
#: The longest password zxcvbn will judge.
ZXCVBN_MAX_LENGTH = 72


def strength(password: str, context: tuple[str, ...] = ()) -> Strength:
    """How hard the password is to guess; ``context`` (e.g. the handle) counts as guessable."""
    if not password:
        return Strength(0, "Empty", "Type or generate a password.")
    from zxcvbn import zxcvbn

    # zxcvbn refuses anything longer than its limit (ValueError past 72 characters) because its work
    # grows with length; a prefix that long is already "very strong" unless it is a pattern.
    result = zxcvbn(password[:ZXCVBN_MAX_LENGTH], user_inputs=list(context))
    score = int(result["score"])
    feedback = result.get("feedback") or {}
    advice = " ".join([feedback.get("warning") or "", *(feedback.get("suggestions") or [])]).strip()
    crack = result.get("crack_times_display", {}).get("offline_slow_hashing_1e4_per_second", "")
    if not advice:
        advice = f"Would take {crack} to guess offline." if crack else ""
    return Strength(score, LABELS[score], advice)
