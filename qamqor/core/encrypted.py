"""Model fields encrypted at rest (R-X-5; ``core.crypto``; docs/privacy.md).

``EncryptedTextField`` holds a string, ``EncryptedJSONField`` a JSON value; both are text columns
holding ``enc:v1:<key id>:…``. Python code sees plaintext; the database, its backups and anyone
with SQL access see ciphertext. An empty string stays empty (its presence is no secret), ``None``
stays NULL.

The columns cannot be searched: every lookup except ``isnull`` raises, because the ciphertext of
the same value differs each time. A value that must be found (none so far) gets a keyed HMAC
"blind index" column next to it (docs/privacy.md).
"""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.core.exceptions import FieldError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from qamqor.core import crypto

SEARCHABLE = frozenset({"isnull"})


class _Encrypted:
    """Mixin: the lookups an encrypted column allows."""

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name not in SEARCHABLE:
            raise FieldError(
                f"{self.name} is encrypted at rest and cannot be searched with {lookup_name!r}."  # type: ignore[attr-defined]
            )
        return super().get_lookup(lookup_name)  # type: ignore[misc]


class EncryptedTextField(_Encrypted, models.TextField):  # type: ignore[misc]
    description = "Text encrypted at rest (AES-256-GCM)"

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return value
        return crypto.decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(str(value))


class EncryptedJSONField(_Encrypted, models.TextField):  # type: ignore[misc]
    description = "JSON encrypted at rest (AES-256-GCM)"
    # django-stubs: the attribute holds any JSON value, not a string.
    _pyi_private_set_type: Any
    _pyi_private_get_type: Any

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None:
            return value
        return json.loads(crypto.decrypt(value))

    def to_python(self, value: Any) -> Any:
        return value

    def get_prep_value(self, value: Any) -> Any:
        if value is None:
            return value
        text = json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True)
        return crypto.encrypt(text)

    def value_to_string(self, obj: Any) -> Any:
        return self.value_from_object(obj)

    def formfield(self, **kwargs: Any) -> Any:  # type: ignore[override]
        return super().formfield(**{"form_class": forms.JSONField, **kwargs})
