"""The audit trail's JSON text is exactly ``json.dumps`` with its options, however it is made: entries
written before must still verify."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from clerk_desk.audit import canonical

VALUES: list[object] = [
    {},
    [],
    {"title": [None, 'Zoë\'s "quoted" title\nsecond line\t\u2028'], "b": [1, 2.5], "a": [True, False]},
    {"reported_at": [None, datetime(2026, 3, 29, 1, 30, tzinfo=UTC)], "on": [None, date(2026, 1, 1)]},
    {"amount": [Decimal("1.10"), float("inf")], "none": [None, None], "z": {"nested": ["ü", "😀", "\x00"]}},
    {"1": [None, "one"], "10": [None, "ten"], "2": [None, "two"], "Ä": [None, "a"], "a": [None, "b"]},
    [7, "INC-2026-001", "Łukasz Nowak", '{"step": [null, "x"]}', "0" * 64, None, -0.0, 1e300],
]


@pytest.mark.parametrize("value", VALUES)
def test_the_changes_text_is_json_dumps_with_sorted_keys(value: object) -> None:
    assert canonical.changes_text(value) == json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


@pytest.mark.parametrize("value", [VALUES[0], VALUES[1], VALUES[2], VALUES[5], VALUES[6]])
def test_the_payload_text_is_json_dumps_without_spaces(value: object) -> None:
    expected = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    assert canonical.payload_text(value) == expected


def test_the_payload_refuses_what_json_refuses() -> None:
    with pytest.raises(TypeError):
        canonical.payload_text([datetime(2026, 1, 1, tzinfo=UTC)])
