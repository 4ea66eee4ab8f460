"""Cells a spreadsheet would run as a formula: written with a leading apostrophe, read back without it."""

from __future__ import annotations

from typing import Any

# Cells that a spreadsheet would run as a formula are written with a leading apostrophe, and read back
# without it, so an exported file is safe to open in Excel and still imports unchanged. A leading "@" is
# escaped only in a function-call shape: handles such as "@ThornburyTC" stay exactly as they are.
_FORMULA_START = ("=", "+", "-", "\t", "\r")


def _is_formula(text: str) -> bool:
    return text.startswith(_FORMULA_START) or (text.startswith("@") and "(" in text)


def escape(value: Any) -> str:
    text = str(value)
    # Text that already starts with apostrophes before a formula gets one more, so that it reads back as is.
    return f"'{text}" if _is_formula(text.lstrip("'")) else text


def unescape(value: str) -> str:
    return value[1:] if value.startswith("'") and _is_formula(value.lstrip("'")) else value
