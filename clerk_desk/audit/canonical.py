"""The JSON text an audit entry stores and hashes: its changes, and the fields its hash covers.

The text is exactly ``json.dumps`` with these options; it must never change, or the entries already
written would no longer verify. An import writes hundreds of thousands of entries, so each encoder is made
once: ``json.JSONEncoder.encode`` builds a new one on every call, which takes as long as the encoding of a
small entry. Python's own C encoder, the one ``encode`` builds, is used directly when it is there.
"""

from __future__ import annotations

import json
from collections.abc import Callable
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
