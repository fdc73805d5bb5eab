"""Encryption at rest of personal-data columns (R-X-5, Law of the RK "On personal data and their
protection", art. 22: the operator takes the measures that protect personal data; docs/privacy.md).

A stored value is ``enc:v1:<key id>:<base64url(nonce ‖ AES-256-GCM ciphertext ‖ tag)>``. The key id
is the first 8 hex digits of the SHA-256 of the key, so a row says which key wrote it: rotation
(``manage.py rotate_field_keys``) re-encrypts exactly the rows whose key id is not the current
one, and a run that stops half-way resumes where it stopped.

Keys come from ``settings.FIELD_ENCRYPTION_KEYS``: 32-byte keys in URL-safe base64, the first one
encrypts, every one decrypts. A value whose key is not configured, or whose tag does not verify
(a wrong key, a changed byte), raises ``FieldDecryptionError``: never a silent empty value.
"""

from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PREFIX = "enc:v1:"
_NONCE = 12


class FieldDecryptionError(Exception):
    """A stored value cannot be decrypted with the configured keys."""


@dataclass(frozen=True)
class Keyring:
    current_id: str
    keys: dict[str, AESGCM]

    @property
    def current_prefix(self) -> str:
        return f"{PREFIX}{self.current_id}:"


def key_id(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()[:8]


def decode_key(text: str) -> bytes:
    """A 32-byte key from its URL-safe base64 form; anything else is a configuration error."""
    try:
        raw = base64.urlsafe_b64decode(text.strip() + "=" * (-len(text.strip()) % 4))
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS: a key is not base64.") from exc
    if len(raw) != 32:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS: every key must be 32 bytes (AES-256).")
    return raw


def new_key() -> str:
    """A fresh key in the form FIELD_ENCRYPTION_KEYS expects."""
    return base64.urlsafe_b64encode(os.urandom(32)).decode("ascii")


@lru_cache(maxsize=8)
def _keyring(keys: tuple[str, ...]) -> Keyring:
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS is empty (see docs/operations.md).")
    raws = [decode_key(k) for k in keys]
    ring = {key_id(r): AESGCM(r) for r in raws}
    return Keyring(current_id=key_id(raws[0]), keys=ring)


def keyring() -> Keyring:
    return _keyring(tuple(settings.FIELD_ENCRYPTION_KEYS))


def is_encrypted(value: str) -> bool:
    return value.startswith(PREFIX)


def encrypt(plaintext: str, ring: Keyring | None = None) -> str:
    ring = ring or keyring()
    nonce = os.urandom(_NONCE)
    sealed = ring.keys[ring.current_id].encrypt(nonce, plaintext.encode("utf-8"), None)
    body = base64.urlsafe_b64encode(nonce + sealed).decode("ascii")
    return f"{ring.current_prefix}{body}"


def decrypt(stored: str, ring: Keyring | None = None) -> str:
    ring = ring or keyring()
    if not is_encrypted(stored):
        raise FieldDecryptionError("The stored value is not encrypted (run the migrations).")
    try:
        kid, body = stored[len(PREFIX) :].split(":", 1)
    except ValueError as exc:
        raise FieldDecryptionError("The stored value is malformed.") from exc
    aead = ring.keys.get(kid)
    if aead is None:
        raise FieldDecryptionError(
            f"The value was encrypted with key {kid}, which is not in FIELD_ENCRYPTION_KEYS."
        )
    try:
        blob = base64.urlsafe_b64decode(body)
        return aead.decrypt(blob[:_NONCE], blob[_NONCE:], None).decode("utf-8")
    except (InvalidTag, ValueError) as exc:
        raise FieldDecryptionError(
            f"The value does not decrypt with key {kid}: wrong key or altered data."
        ) from exc
