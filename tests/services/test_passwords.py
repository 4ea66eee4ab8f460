"""The password generator (``secrets``) and the strength shown beside a password (zxcvbn)."""

from __future__ import annotations

import string

import pytest

from clerk_desk.credentials import passwords
from clerk_desk.credentials.passwords import Recipe
from clerk_desk.errors import ValidationError

CLASSES = {
    "lower": string.ascii_lowercase,
    "upper": string.ascii_uppercase,
    "digits": string.digits,
    "symbols": passwords.SYMBOLS,
}


def test_the_default_is_20_characters_of_every_class() -> None:
    for _ in range(50):
        password = passwords.generate()
        assert len(password) == passwords.DEFAULT_LENGTH == 20
        for alphabet in CLASSES.values():
            assert any(ch in alphabet for ch in password), password
        assert set(password) <= set("".join(CLASSES.values()))


def test_symbols_avoid_quotes_backslashes_and_spaces() -> None:
    assert not set(passwords.SYMBOLS) & set("'\"`\\ ")


@pytest.mark.parametrize(
    "chosen",
    [
        ("lower",),
        ("digits",),
        ("symbols",),
        ("lower", "upper"),
        ("upper", "digits"),
        ("lower", "symbols"),
        ("lower", "upper", "digits"),
        ("upper", "digits", "symbols"),
    ],
)
def test_only_the_chosen_classes_and_at_least_one_of_each(chosen: tuple[str, ...]) -> None:
    recipe = Recipe(length=8, **{name: name in chosen for name in CLASSES})
    allowed = set("".join(CLASSES[name] for name in chosen))
    # Short passwords of many classes are where "at least one of each" is easiest to miss.
    for _ in range(200):
        password = passwords.generate(recipe)
        assert len(password) == 8
        assert set(password) <= allowed, password
        for name in chosen:
            assert any(ch in CLASSES[name] for ch in password), (name, password)


@pytest.mark.parametrize("length", [8, 9, 64, 128])
def test_lengths_from_8_to_128_are_made(length: int) -> None:
    assert len(passwords.generate(Recipe(length=length))) == length


@pytest.mark.parametrize("length", [-1, 0, 4, 7, 129, 1000])
def test_a_length_outside_8_to_128_is_refused(length: int) -> None:
    with pytest.raises(ValidationError) as caught:
        passwords.generate(Recipe(length=length))
    assert caught.value.field == "length"
    assert caught.value.message == "must be between 8 and 128"


def test_choosing_no_class_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        passwords.generate(Recipe(lower=False, upper=False, digits=False, symbols=False))
    assert (caught.value.field, caught.value.message) == (
        "characters",
        "choose at least one kind of character",
    )


def test_passwords_are_random() -> None:
    made = {passwords.generate() for _ in range(200)}
    assert len(made) == 200


def test_passwords_come_from_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every character is drawn with ``secrets`` (the OS's random source), not ``random``."""
    drawn: list[str] = []
    real_choice = passwords.secrets.choice

    def choice(alphabet: str) -> str:
        drawn.append(real_choice(alphabet))
        return drawn[-1]

    monkeypatch.setattr(passwords.secrets, "choice", choice)
    password = passwords.generate(Recipe(length=12, symbols=False))
    # Drawn again whole when a class was missing; the password is the last draw.
    assert len(drawn) % 12 == 0
    assert password == "".join(drawn[-12:])


# --- strength -----------------------------------------------------------------------------------


@pytest.mark.parametrize("password", ["password", "qwerty123", "123456789", "letmein"])
def test_common_passwords_are_very_weak(password: str) -> None:
    verdict = passwords.strength(password)
    assert (verdict.score, verdict.label, verdict.acceptable) == (0, "Very weak", False)
    assert verdict.advice  # zxcvbn says why


def test_a_generated_password_is_very_strong() -> None:
    for _ in range(5):
        verdict = passwords.strength(passwords.generate())
        assert (verdict.score, verdict.label, verdict.acceptable) == (4, "Very strong", True)
        assert verdict.advice.startswith("Would take ")


def test_every_score_has_a_label() -> None:
    assert passwords.LABELS == ("Very weak", "Weak", "Fair", "Strong", "Very strong")
    scored = {
        passwords.strength(pw).label for pw in ("password", "zoe.hartley1", "correct horse battery staple")
    }
    assert scored == {"Very weak", "Strong", "Very strong"}


def test_an_empty_password_has_no_strength() -> None:
    verdict = passwords.strength("")
    assert (verdict.score, verdict.label, verdict.acceptable) == (0, "Empty", False)


def test_the_accounts_own_name_counts_as_guessable() -> None:
    alone = passwords.strength("LittleAshcombeTC2026")
    with_handle = passwords.strength("LittleAshcombeTC2026", ("LittleAshcombeTC",))
    assert alone.score == 4
    assert with_handle.score < alone.score
    assert not with_handle.acceptable


@pytest.mark.parametrize("length", [72, 73, 100, 128, 1280])
def test_a_long_password_is_judged_too(length: int) -> None:
    """zxcvbn itself refuses more than 72 characters; the generator makes up to 128."""
    password = (passwords.generate(Recipe(length=128)) * 10)[:length]
    assert passwords.strength(password).label == "Very strong"
    assert passwords.strength("a" * length).label == "Very weak"
