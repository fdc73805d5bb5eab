"""Personal data of the recipient file and of applications encrypted at rest (R-X-5, R-SVC-16;
docs/privacy.md)."""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from qamqor.applications.models import Application, Recipient
from qamqor.core import crypto, rotation
from qamqor.core.models import DomainEvent
from tests.applications.conftest import at, file_on

pytestmark = pytest.mark.django_db

KEY_A = crypto.new_key()
KEY_B = crypto.new_key()


def raw(model, pk, column: str) -> str:
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {connection.ops.quote_name(column)} FROM {table} WHERE id = %s",  # noqa: S608
            [pk],
        )
        return cursor.fetchone()[0]


def test_the_identity_document_number_is_ciphertext_in_the_database(bibigul):
    """R-X-5: the column holds ciphertext with a key id; Python sees the number."""
    stored = raw(Recipient, bibigul.pk, "identity_document_number")
    assert "045678912" not in stored
    assert stored.startswith(crypto.keyring().current_prefix)
    assert Recipient.objects.get(pk=bibigul.pk).identity_document_number == "045678912"


def test_the_medical_card_form_and_conclusion_are_ciphertext(askar_officer, bibigul):
    """R-SVC-16: the medical card and form 1 are unreadable in the table and its history."""
    app = file_on(at(2025, 3, 19), askar_officer, bibigul)
    for column in ("medical_card", "form_data"):
        stored = raw(Application, app.pk, column)
        assert stored.startswith("enc:v1:")
        assert "Гипертония" not in stored and "045678912" not in stored
    hist = Application.history.model
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT medical_card FROM {hist._meta.db_table}")  # noqa: S608
        assert all(v.startswith("enc:v1:") for (v,) in cursor.fetchall())
    fresh = Application.objects.get(pk=app.pk)
    assert fresh.medical_card["anamnesis"] == "Гипертония, 2-дәрежелі."
    assert fresh.form_data["identity_document_number"] == "045678912"


def test_the_same_value_encrypts_differently_each_time():
    assert crypto.encrypt("045678912") != crypto.encrypt("045678912")
    assert crypto.decrypt(crypto.encrypt("Қазақ тілі")) == "Қазақ тілі"


def test_encrypted_columns_refuse_searches(bibigul):
    with pytest.raises(FieldError):
        Recipient.objects.filter(identity_document_number="045678912").exists()
    assert Recipient.objects.filter(identity_document_number__isnull=False).count() == 1


def test_an_empty_number_stays_empty(bibigul):
    bibigul.identity_document_number = ""
    bibigul.save()
    assert raw(Recipient, bibigul.pk, "identity_document_number") == ""


def test_a_value_under_an_unknown_key_fails_loudly(bibigul):
    unknown = pytest.raises(crypto.FieldDecryptionError, match="not in FIELD_ENCRYPTION_KEYS")
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_A]), unknown:
        Recipient.objects.get(pk=bibigul.pk)


def test_a_changed_byte_fails_loudly():
    import base64

    stored = crypto.encrypt("045678912")
    head, body = stored.rsplit(":", 1)
    blob = bytearray(base64.urlsafe_b64decode(body))
    blob[14] ^= 0x01  # one bit of the ciphertext
    tampered = f"{head}:{base64.urlsafe_b64encode(bytes(blob)).decode()}"
    with pytest.raises(crypto.FieldDecryptionError, match="wrong key or altered data"):
        crypto.decrypt(tampered)


def test_plaintext_left_in_the_column_fails_loudly():
    with pytest.raises(crypto.FieldDecryptionError, match="not encrypted"):
        crypto.decrypt("045678912")


def test_rotation_re_encrypts_with_the_new_key_and_resumes(askar_officer, bibigul):
    """Old key A, new key B first: everything reads during the change; the command moves every
    row (history tables too) to B; afterwards A can go."""
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_A]):
        bibigul.save()  # re-written under A
        app = file_on(at(2025, 3, 19), askar_officer, bibigul)
        assert raw(Recipient, bibigul.pk, "identity_document_number").startswith(
            f"enc:v1:{crypto.key_id(crypto.decode_key(KEY_A))}:"
        )
    dev = crypto.keyring().current_id
    with override_settings(
        FIELD_ENCRYPTION_KEYS=[KEY_B, KEY_A, os.environ["FIELD_ENCRYPTION_KEYS"]]
    ):
        assert Recipient.objects.get(pk=bibigul.pk).identity_document_number == "045678912"
        out = StringIO()
        call_command("rotate_field_keys", "--dry-run", stdout=out)
        assert "Total left on older keys: 0" not in out.getvalue()
        out = StringIO()
        call_command("rotate_field_keys", "--batch", "1", stdout=out)
        assert "applications.Recipient.identity_document_number: 1" in out.getvalue()
        again = StringIO()
        call_command("rotate_field_keys", stdout=again)
        assert "Total re-encrypted: 0" in again.getvalue()
    kid_b = crypto.key_id(crypto.decode_key(KEY_B))
    assert raw(Recipient, bibigul.pk, "identity_document_number").startswith(f"enc:v1:{kid_b}:")
    assert dev != kid_b
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_B]):
        fresh = Application.objects.get(pk=app.pk)
        assert fresh.medical_card["anamnesis"] == "Гипертония, 2-дәрежелі."
        assert fresh.recipient.identity_document_number == "045678912"
        assert list(Application.history.all())  # history rows decrypt too
    event = DomainEvent.objects.filter(verb="core.rotate_field_keys").first()
    assert event is not None and event.data["key_id"] == kid_b


def test_the_data_migration_encrypts_plaintext_and_reverses(bibigul):
    """The migration's helpers: plaintext rows are encrypted once; reversed, they are plain."""
    col = rotation.column_of(Recipient, "identity_document_number")
    assert rotation.decrypt_all(col) == 1
    assert raw(Recipient, bibigul.pk, "identity_document_number") == "045678912"
    assert rotation.encrypt_plain(col) == 1
    assert rotation.encrypt_plain(col) == 0
    assert Recipient.objects.get(pk=bibigul.pk).identity_document_number == "045678912"


def test_a_malformed_key_is_refused():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        crypto.decode_key("short")


def test_the_web_server_refuses_to_start_without_keys():
    """Like SECRET_KEY: with DEBUG off and no FIELD_ENCRYPTION_KEYS, qamqor.wsgi refuses."""
    env = {k: v for k, v in os.environ.items() if k not in {"FIELD_ENCRYPTION_KEYS", "DEBUG"}}
    env["SECRET_KEY"] = "x"
    result = subprocess.run(
        [sys.executable, "-c", "import qamqor.wsgi"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEYS must be set when DEBUG is off" in result.stderr


def test_the_deploy_check_refuses_the_development_key():
    from qamqor.core.checks import field_keys_check

    assert [m.id for m in field_keys_check()] == ["core.E002"]
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_A]):
        assert field_keys_check() == []


@pytest.mark.postgres
def test_postgres_columns_are_text(bibigul):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT data_type FROM information_schema.columns WHERE table_name = %s "
            "AND column_name = 'medical_card'",
            [Application._meta.db_table],
        )
        assert cursor.fetchone()[0] == "text"
