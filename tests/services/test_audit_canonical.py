"""The audit trail's JSON text is exactly ``json.dumps`` with its options, however it is made: entries
written before must still verify."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from clerk_desk.audit import canonical
from clerk_desk.models.incidents import IncidentStatus

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


# A new record's values as an import holds them: text of every kind, numbers, flags, moments, and None.
RECORDS: list[dict[str, object]] = [
    {},
    {"step": "contain", "incident_id": 7, "done_at": None, "note": None},
    {"title": 'Zoë\'s "quoted" title\nline\t\u2028\x00😀', "near_miss": False, "personal_data": True},
    {"incident_id": -3, "count": 10**30, "reported_at": datetime(2026, 3, 29, 1, 30, tzinfo=UTC)},
    {"on": date(2026, 1, 1), "label": "Ä", "1": "one", "10": "ten", "2": "two", "a": ""},
]
KEYS = ("step", "incident_id", "done_at", "note", "title", "near_miss", "personal_data", "count")
MOMENTS = ("reported_at", "on", "done_at")


def _plain(value: object) -> object:
    return value.isoformat() if isinstance(value, date) else value


@pytest.mark.parametrize("values", RECORDS)
def test_a_new_records_changes_are_written_as_the_encoder_writes_them(values: dict[str, object]) -> None:
    keys = (*KEYS, *MOMENTS, "label", "1", "10", "2", "a")
    write = canonical.created_writer(keys, MOMENTS)
    given = {key: [None, _plain(value)] for key in keys if (value := values.get(key)) is not None}
    assert write(values, _plain) == json.dumps(given, sort_keys=True, ensure_ascii=False, default=str)


@pytest.mark.parametrize(
    "value",
    [2.5, Decimal("1.10"), IncidentStatus.OPEN, datetime(2026, 1, 1, tzinfo=UTC), b"bytes", ["a"]],
)
def test_a_value_the_writer_does_not_know_is_left_to_the_encoder(value: object) -> None:
    # A moment in a column not known to hold one, a float or an enumeration: None, and the caller encodes.
    assert canonical.created_writer(("value",), ())({"value": value}, _plain) is None


PAYLOADS: list[list[object]] = [
    [
        1,
        "2026-11-27T16:00:00+00:00",
        "Zoë Hartley",
        "create",
        "Incident step",
        "12",
        "Contain",
        "{}",
        "0" * 64,
    ],
    [
        10**12,
        "at",
        'a "quoted"\nactor',
        "update",
        "Incident",
        "INC-1",
        "Łukasz\t\u2028\x00😀",
        '{"a": [null, 1]}',
        "f" * 64,
    ],
]


@pytest.mark.parametrize("fields", PAYLOADS)
@pytest.mark.parametrize("key_id", [None, "key-1", 'odd "key"'])
@pytest.mark.parametrize("keyed", [True, False])
def test_the_payload_writer_writes_what_the_payload_encoder_writes(
    fields: list[object], key_id: str | None, keyed: bool
) -> None:
    seq, at, actor, *rest = fields
    write = canonical.payload_writer(str(at), str(actor), keyed, key_id)
    assert write(seq, *rest) == canonical.payload_text([*fields, key_id] if keyed else fields)


@pytest.mark.parametrize("odd", [(True, "create"), (5, 12), (5, None), (2.0, "create")])
def test_a_payload_field_that_is_not_text_is_written_as_json_writes_it(odd: tuple[object, object]) -> None:
    seq, action = odd
    fields = [seq, "at", "actor", action, "Incident", "1", "label", "{}", "0" * 64]
    write = canonical.payload_writer("at", "actor", True, "key-1")
    assert write(seq, action, "Incident", "1", "label", "{}", "0" * 64) == canonical.payload_text(
        [*fields, "key-1"]
    )


def test_the_hasher_is_hmac_sha256_with_the_key_each_time_and_sha256_without() -> None:
    keyed = canonical.hasher(b"k" * 32)
    for payload in (b"one", b"two", b"one", b""):  # each payload alone: nothing carried from the last
        assert keyed(payload) == hmac.new(b"k" * 32, payload, hashlib.sha256).hexdigest()
    assert canonical.hasher(None)(b"one") == hashlib.sha256(b"one").hexdigest()
