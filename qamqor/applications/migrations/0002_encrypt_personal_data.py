"""Personal data of the recipient file and of applications encrypted at rest (R-X-5, R-SVC-16;
docs/privacy.md): the identity document number, the fields of form 1/2, the medical card and the
social worker's conclusion, in the live and the historical tables. The columns become text first;
then every existing value is encrypted with the current key. Reversed, the values are decrypted
before the columns go back to JSON."""

import qamqor.core.encrypted
from django.db import migrations

from qamqor.core import rotation

COLUMNS = [
    ("Recipient", "identity_document_number"),
    ("HistoricalRecipient", "identity_document_number"),
    ("Application", "form_data"),
    ("Application", "medical_card"),
    ("Application", "conclusion"),
    ("HistoricalApplication", "form_data"),
    ("HistoricalApplication", "medical_card"),
    ("HistoricalApplication", "conclusion"),
]


def encrypt(apps, schema_editor):
    for model, field in COLUMNS:
        col = rotation.column_of(apps.get_model("applications", model), field)
        rotation.encrypt_plain(col, schema_editor.connection)


def decrypt(apps, schema_editor):
    for model, field in COLUMNS:
        col = rotation.column_of(apps.get_model("applications", model), field)
        rotation.decrypt_all(col, schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ('applications', '0001_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='application',
            name='conclusion',
            field=qamqor.core.encrypted.EncryptedJSONField(blank=True, default=dict, verbose_name='conclusion of the social worker'),
        ),
        migrations.AlterField(
            model_name='application',
            name='form_data',
            field=qamqor.core.encrypted.EncryptedJSONField(default=dict, verbose_name='form fields'),
        ),
        migrations.AlterField(
            model_name='application',
            name='medical_card',
            field=qamqor.core.encrypted.EncryptedJSONField(blank=True, default=dict, verbose_name='medical card (form 5/6)'),
        ),
        migrations.AlterField(
            model_name='historicalapplication',
            name='conclusion',
            field=qamqor.core.encrypted.EncryptedJSONField(blank=True, default=dict, verbose_name='conclusion of the social worker'),
        ),
        migrations.AlterField(
            model_name='historicalapplication',
            name='form_data',
            field=qamqor.core.encrypted.EncryptedJSONField(default=dict, verbose_name='form fields'),
        ),
        migrations.AlterField(
            model_name='historicalapplication',
            name='medical_card',
            field=qamqor.core.encrypted.EncryptedJSONField(blank=True, default=dict, verbose_name='medical card (form 5/6)'),
        ),
        migrations.AlterField(
            model_name='historicalrecipient',
            name='identity_document_number',
            field=qamqor.core.encrypted.EncryptedTextField(blank=True, max_length=32, verbose_name='identity document number'),
        ),
        migrations.AlterField(
            model_name='recipient',
            name='identity_document_number',
            field=qamqor.core.encrypted.EncryptedTextField(blank=True, max_length=32, verbose_name='identity document number'),
        ),
        migrations.RunPython(encrypt, decrypt, elidable=False),
    ]
