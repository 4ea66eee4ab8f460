"""The JSON text an audit entry stores and hashes (its changes, and the fields its hash covers), and the hash.

The text is exactly ``json.dumps`` with these options; it must never change, or the entries already
written would no longer verify. An import writes hundreds of thousands of entries, so each encoder is made
once: ``json.JSONEncoder.encode`` builds a new one on every call, which takes as long as the encoding of a
small entry. Python's own C encoder, the one ``encode`` builds, is used directly when it is there.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Collection, Iterable, Mapping
from json import encoder as _json_encoder
from typing import Any

#: What an entry's changes are written with: keys sorted, moments and the like as text.
CHANGES = json.JSONEncoder(sort_keys=True, ensure_ascii=False, default=str)
#: What the fields an entry's hash covers are written with, before hashing.
PAYLOAD = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def _made_once(encoder: json.JSONEncoder) -> Callable[[Any], str]:
    """``encoder.encode`` for dictionaries and lists, the encoder made once (no check for a value that
    contains itself: an entry's values never do)."""
    make = getattr(_json_encoder, "c_make_encoder", None)
    if make is None or encoder.indent is not None or encoder.ensure_ascii:
        return encoder.encode
    try:
        one = make(
            None,
            encoder.default,
            _json_encoder.encode_basestring,
            None,
            encoder.key_separator,
            encoder.item_separator,
            encoder.sort_keys,
            encoder.skipkeys,
            encoder.allow_nan,
        )
    except TypeError:  # a Python whose C encoder is made differently: its own encode, as before
        return encoder.encode

    def encode(value: Any) -> str:
        return "".join(one(value, 0))

    return encode


changes_text = _made_once(CHANGES)
payload_text = _made_once(PAYLOAD)


#: What a value of one of these exact types is written as, with ``CHANGES``'s options.
_WRITTEN: dict[type, Callable[[Any], str]] = {
    str: _json_encoder.encode_basestring,
    int: int.__repr__,
    bool: lambda flag: "true" if flag else "false",
}


def created_writer(
    keys: Iterable[str], converted: Collection[str]
) -> Callable[[Mapping[str, Any], Callable[[Any], Any]], str | None]:
    """For records of one kind, what ``changes_text`` writes for a new record: each of ``keys`` whose value
    is not None as ``[null, value]``, the keys sorted. It is written straight from the record's values, with
    no dictionary made for each record (an import writes hundreds of thousands).

    The writer is given a record's values and the function that makes a value of one of ``converted`` (a
    moment, a date) plain. It gives None for a record holding a value of any type but text, a whole number
    or a flag after that: the caller then builds the dictionary for ``changes_text``, as before."""
    heads = tuple(
        (key, _json_encoder.encode_basestring(key) + ": [null, ", key in converted) for key in sorted(keys)
    )
    written = _WRITTEN.get

    def write(values: Mapping[str, Any], plain: Callable[[Any], Any]) -> str | None:
        parts = []
        for key, head, convert in heads:
            value = values.get(key)
            if value is None:
                continue
            if convert:
                value = plain(value)
            as_text = written(type(value))
            if as_text is None:
                return None
            parts.append(head + as_text(value) + "]")
        return "{" + ", ".join(parts) + "}"

    return write


def payload_writer(at_text: str, actor: str, keyed: bool, key_id: str | None) -> Callable[..., str]:
    """``payload_text`` of the fields an entry's hash covers, ``[seq, at, actor, action, subject_type,
    subject_id, subject_label, changes, prev_hash]`` and the key's id when the entry is keyed, for many
    entries written at one moment by one person: what they share is written once."""
    shared = payload_text([at_text, actor])[1:-1]
    tail = "," + payload_text([key_id])[1:] if keyed else "]"
    text = _json_encoder.encode_basestring

    def write(
        seq: int, action: str, subject_type: str, subject_id: str, label: str, changes: str, prev: str
    ) -> str:
        if type(seq) is int:
            try:
                return (
                    f"[{int.__repr__(seq)},{shared},{text(action)},{text(subject_type)},{text(subject_id)},"
                    f"{text(label)},{text(changes)},{text(prev)}{tail}"
                )
            except TypeError:  # a field that is not text: written as json writes it
                pass
        fields = [seq, at_text, actor, action, subject_type, subject_id, label, changes, prev]
        return payload_text([*fields, key_id] if keyed else fields)

    return write


def digest(values: list[Any], key_id: str | None, key: bytes | None) -> str:
    """The hash of the values of the fields an entry's hash covers (``chain.HASHED_FIELDS``, the moment as
    ISO text), with the key's id after them when there is a key."""
    if key is not None:
        values.append(key_id)
    payload = payload_text(values).encode("utf-8")
    if key is None:
        return hashlib.sha256(payload).hexdigest()
    return hmac.new(key, payload, hashlib.sha256).hexdigest()


def hasher(key: bytes | None) -> Callable[[bytes], str]:
    """``digest``'s hash for many payloads hashed with one key (an import's entries): an HMAC-SHA-256 with
    ``key`` when there is one (the key taken in once, and a copy of it used for each payload), else a plain
    SHA-256."""
    if key is None:
        return lambda payload: hashlib.sha256(payload).hexdigest()
    keyed = hmac.new(key, digestmod=hashlib.sha256)

    def keyed_digest(payload: bytes) -> str:
        one = keyed.copy()
        one.update(payload)
        return one.hexdigest()

    return keyed_digest
