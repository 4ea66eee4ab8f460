"""Reading typed values from text, the same way for CSV cells, dialog fields and the CLI.

Each function names the field in its error, so the message lands beside the right input or cites the
right CSV column.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from enum import StrEnum
from typing import TypeVar

from clerk_desk.errors import ValidationError

E = TypeVar("E", bound=StrEnum)

_EMAIL = re.compile(r"^[^@\s]+@([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,}$")
_PHONE = re.compile(r"^\+?[0-9 ()\-]{6,40}$")
_TRUE = {"yes", "y", "true", "1"}
_FALSE = {"no", "n", "false", "0"}


#: Line breaks of every kind: a single-line field refuses them, a multi-line one keeps only "\n".
LINE_BREAKS = ("\r\n", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029")


# C0 and C1 controls (Unicode category Cc), and the line and paragraph separators (Zl, Zp), found in one
# pass (an import reads many thousands of cells).
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_CONTROL_BUT_TAB_AND_NEWLINE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
_SINGLE_LINE_BREAK = re.compile("[\n\r\u2028\u2029\x85]")
#: A character of ``LINE_BREAKS`` other than "\n": without one, a multi-line value has nothing to rewrite.
_OTHER_BREAK = re.compile("[" + "".join(sorted({brk[0] for brk in LINE_BREAKS})) + "]")


def text(
    values: Mapping[str, str | None],
    field: str,
    *,
    required: bool = False,
    max_length: int = 200,
    multiline: bool = False,
) -> str | None:
    """Trimmed text, or None when blank.

    Names, handles, titles, logins and references are single-line: a line break or any other control
    character is refused, so a value can never pass for a second line (a forged entry in a listing).
    A ``multiline`` field (a description, an outcome) keeps its line breaks, written as "\n", and tabs.
    """
    raw = (values.get(field) or "").strip()
    if not raw:
        if required:
            raise ValidationError(field, "is required")
        return None
    if len(raw) > max_length:
        raise ValidationError(field, f"is too long ({len(raw)} characters; at most {max_length})")
    if multiline:
        if _OTHER_BREAK.search(raw):
            for brk in LINE_BREAKS:
                raw = raw.replace(brk, "\n")
        if _CONTROL_BUT_TAB_AND_NEWLINE.search(raw):
            raise ValidationError(field, "contains control characters")
    elif _SINGLE_LINE_BREAK.search(raw):
        raise ValidationError(field, "must be a single line (it contains a line break)")
    elif _CONTROL.search(raw):
        raise ValidationError(field, "contains control characters (such as a tab); type it on one line")
    return raw


def required_text(
    values: Mapping[str, str | None], field: str, max_length: int = 200, *, multiline: bool = False
) -> str:
    """Trimmed text that must be present."""
    value = text(values, field, required=True, max_length=max_length, multiline=multiline)
    assert value is not None
    return value


def iso_date(values: Mapping[str, str | None], field: str, *, required: bool = False) -> date | None:
    """A date written YYYY-MM-DD."""
    raw = text(values, field, required=required, max_length=40)
    if raw is None:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ValidationError(field, f"'{raw}' is not a date; write it as YYYY-MM-DD") from None


def choice(
    values: Mapping[str, str | None],
    field: str,
    enum: type[E],
    *,
    required: bool = True,
    default: E | None = None,
) -> E | None:
    """One value of an enumeration, given by its CSV spelling."""
    raw = text(values, field, max_length=40)
    if raw is None:
        if default is not None:
            return default
        if required:
            raise ValidationError(field, f"is required; one of {_listing(enum)}")
        return None
    try:
        return enum(raw.lower().replace(" ", "_").replace("-", "_"))
    except ValueError:
        raise ValidationError(field, f"'{raw}' is not one of {_listing(enum)}") from None


def boolean(values: Mapping[str, str | None], field: str, *, default: bool = False) -> bool:
    """yes/no (also true/false, 1/0)."""
    raw = (values.get(field) or "").strip().lower()
    if not raw:
        return default
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise ValidationError(field, f"'{raw}' is not yes or no")


def integer(values: Mapping[str, str | None], field: str, *, minimum: int, maximum: int) -> int | None:
    """A whole number in a range, or None when blank."""
    raw = text(values, field, max_length=20)
    if raw is None:
        return None
    try:
        number = int(raw)
    except ValueError:
        raise ValidationError(field, f"'{raw}' is not a whole number") from None
    if not minimum <= number <= maximum:
        raise ValidationError(field, f"must be between {minimum} and {maximum}")
    return number


def email(values: Mapping[str, str | None], field: str) -> str | None:
    """An email address, or None when blank."""
    raw = text(values, field, max_length=320)
    if raw is None:
        return None
    if not _EMAIL.match(raw):
        raise ValidationError(field, f"'{raw}' is not an email address")
    return raw


def phone(values: Mapping[str, str | None], field: str) -> str | None:
    """A telephone number (digits, spaces, +, -, brackets), or None when blank."""
    raw = text(values, field, max_length=40)
    if raw is None:
        return None
    if not _PHONE.match(raw) or sum(ch.isdigit() for ch in raw) < 6:
        raise ValidationError(field, f"'{raw}' is not a telephone number")
    return raw


def url(values: Mapping[str, str | None], field: str) -> str | None:
    """A web address starting http:// or https://, or None when blank."""
    raw = text(values, field, max_length=1000)
    if raw is None:
        return None
    if not re.match(r"^https?://[^\s/]+\.[^\s]+$", raw, re.IGNORECASE):
        raise ValidationError(field, f"'{raw}' is not a web address starting https://")
    return raw


def domains(raw: str, field: str) -> list[str]:
    """A ``;``-separated list of email domains, lower-cased."""
    result = []
    for part in raw.split(";"):
        domain = part.strip().lower().lstrip("@")
        if not domain:
            continue
        if not re.match(r"^([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$", domain):
            raise ValidationError(
                field, f"'{part.strip()}' is not an email domain (e.g. thornbury-tc.gov.uk)"
            )
        result.append(domain)
    return result


def _listing(enum: Iterable[StrEnum]) -> str:
    return ", ".join(member.value for member in enum)
