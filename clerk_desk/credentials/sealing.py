"""The cryptography of sealed credentials, all of it from PyNaCl (libsodium); nothing hand-written.

- A key pair is an X25519 ``nacl.public.PrivateKey``; a password is sealed to a public key with
  ``nacl.public.SealedBox`` (an anonymous sender, authenticated encryption).
- What is sealed names the account and the kind of copy it belongs to, so a copy moved onto another
  account's row in the database is refused when opened instead of giving the wrong password.
- The recovery key is 160 random bits written as eight groups of base32; its key pair is derived from
  it with Argon2id (``nacl.pwhash.argon2id.kdf``) and the council's salt, kept in the database.
- A fingerprint is a short BLAKE2b hash of a public key, in groups a person can read out.
"""

from __future__ import annotations

import base64
import binascii
import re
import secrets

import nacl.encoding
import nacl.exceptions
import nacl.hash
import nacl.pwhash
import nacl.utils
from nacl.public import PrivateKey, PublicKey, SealedBox

from clerk_desk.errors import ClerkDeskError

RECOVERY_BYTES = 20  # 160 bits
RECOVERY_GROUP = 4
FINGERPRINT_BYTES = 10


class SealError(ClerkDeskError):
    """A sealed copy that cannot be opened: damaged, or sealed for another key."""


def new_private_key() -> PrivateKey:
    return PrivateKey.generate()


def private_to_text(key: PrivateKey) -> str:
    """How a private key is written into the OS keyring."""
    return base64.b64encode(bytes(key)).decode("ascii")


def private_from_text(text: str) -> PrivateKey:
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
        return PrivateKey(raw)
    except (binascii.Error, ValueError, UnicodeEncodeError, nacl.exceptions.CryptoError) as exc:
        raise SealError("The key kept in this PC's password store is damaged.") from exc


def public_bytes(key: PrivateKey) -> bytes:
    return bytes(key.public_key)


def fingerprint(public_key: bytes) -> str:
    """A short hash of a public key, e.g. ``3F2A-9B0C-11D4-77E0-A5C1``."""
    digest = nacl.hash.blake2b(
        public_key, digest_size=FINGERPRINT_BYTES, person=b"clerk-desk-fp", encoder=nacl.encoding.RawEncoder
    )
    text = digest.hex().upper()
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def same_fingerprint(given: str, expected: str) -> bool:
    """Whether a typed fingerprint is this one, ignoring case, spaces and hyphens."""
    clean = re.sub(r"[\s\-:]", "", given).upper()
    return secrets.compare_digest(clean, expected.replace("-", ""))


def _label(account_uuid: str, kind: str) -> bytes:
    return f"clerk-desk:{account_uuid}:{kind}\n".encode()


def seal(public_key: bytes, account_uuid: str, kind: str, secret: str) -> bytes:
    """The secret sealed to one public key, bound to its account and kind."""
    return SealedBox(PublicKey(public_key)).encrypt(_label(account_uuid, kind) + secret.encode("utf-8"))


def open_sealed(private: PrivateKey, sealed: bytes, account_uuid: str, kind: str) -> str:
    """The secret in a sealed copy; ``SealError`` when it is damaged, for another key or another account."""
    try:
        plain = SealedBox(private).decrypt(sealed)
    except nacl.exceptions.CryptoError as exc:
        raise SealError("it is damaged or was sealed for another key") from exc
    label = _label(account_uuid, kind)
    if not plain.startswith(label):
        raise SealError("it belongs to another account")
    try:
        return plain[len(label) :].decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SealError("it is damaged") from exc


# --- the recovery key ----------------------------------------------------------------------------


def new_salt() -> bytes:
    return nacl.utils.random(nacl.pwhash.argon2id.SALTBYTES)


def new_recovery_key() -> str:
    """A new recovery key: 160 random bits as eight groups of four letters and digits."""
    text = base64.b32encode(secrets.token_bytes(RECOVERY_BYTES)).decode("ascii")
    return "-".join(text[i : i + RECOVERY_GROUP] for i in range(0, len(text), RECOVERY_GROUP))


def parse_recovery_key(typed: str) -> bytes:
    """The recovery key's bits, from what a person typed (any case, spaces or hyphens between groups)."""
    clean = re.sub(r"[\s\-]", "", typed).upper().replace("0", "O").replace("1", "I").replace("8", "B")
    if len(clean) != RECOVERY_BYTES * 8 // 5:
        raise ClerkDeskError(
            "That is not a recovery key: it has eight groups of four letters and digits, "
            "as printed on the emergency sheet."
        )
    try:
        return base64.b32decode(clean)
    except binascii.Error as exc:
        raise ClerkDeskError(
            "That is not a recovery key: it has only the letters A-Z and the digits 2-7."
        ) from exc


def recovery_private_key(secret: bytes, salt: bytes) -> PrivateKey:
    """The recovery key pair, derived from the recovery key's bits with Argon2id."""
    seed = nacl.pwhash.argon2id.kdf(
        PrivateKey.SEED_SIZE,
        secret,
        salt,
        opslimit=nacl.pwhash.argon2id.OPSLIMIT_INTERACTIVE,
        memlimit=nacl.pwhash.argon2id.MEMLIMIT_INTERACTIVE,
    )
    return PrivateKey.from_seed(seed)
