"""Reading text fields: the characters refused are exactly Unicode's controls and line separators."""

from __future__ import annotations

import sys
import unicodedata

import pytest

from clerk_desk import fields
from clerk_desk.errors import ValidationError


def refused(value: str, *, multiline: bool) -> bool:
    try:
        fields.text({"f": value}, "f", multiline=multiline)
    except ValidationError:
        return True
    return False


@pytest.mark.parametrize("multiline", [False, True])
def test_every_control_character_and_only_those_is_refused(multiline: bool) -> None:
    """Categories Cc, Zl and Zp are refused (a multi-line field keeps its line breaks and tabs), over
    every code point, so a faster way of finding them finds the same ones."""
    allowed_breaks = {"\n", "\t", *fields.LINE_BREAKS} if multiline else set()
    for point in range(sys.maxunicode + 1):
        ch = chr(point)
        if 0xD800 <= point <= 0xDFFF:
            continue  # surrogates are not characters a decoded file can hold
        control = unicodedata.category(ch) in ("Cc", "Zl", "Zp") and ch not in allowed_breaks
        # Between letters, so trimming does not remove it.
        assert refused(f"a{ch}b", multiline=multiline) == control, hex(point)
