from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from qamqor.accounts.models import User

# A CMS with one certificate chain is a few kilobytes; anything far larger is not a signature.
MAX_CMS_BYTES = 256 * 1024


class SignatureForm(forms.Form):
    """A CMS pasted as base64 (NCALayer's answer, put there by the page's script) or uploaded as a
    ``.p7s``/``.cms`` file (DER or base64): the path that works without JavaScript."""

    cms = forms.CharField(
        label=_("Signature (CMS in base64)"),
        required=False,
        widget=forms.Textarea(
            attrs={
                "rows": 4,
                "spellcheck": "false",
                "autocomplete": "off",
                "aria-describedby": "id_cms-help",
            }
        ),
        help_text=_("NCALayer fills this in. You may also paste a signature made elsewhere."),
    )
    cms_file = forms.FileField(
        label=_("Or upload the signature file (.p7s, .cms)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".p7s,.cms,.p7b,.sig,.txt"}),
    )

    def refuse(self, message: str) -> None:
        """Show why the signed act was refused. Also on the form left empty when the development
        signer signed (Django's ``add_error`` needs a cleaned form)."""
        if not hasattr(self, "cleaned_data"):
            self.cleaned_data = {}
        self.add_error(None, message)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        upload = cleaned.get("cms_file")
        text = (cleaned.get("cms") or "").strip()
        if upload is not None:
            if upload.size > MAX_CMS_BYTES:
                raise forms.ValidationError(
                    _("The file is too large for a signature. Upload the .p7s file."),
                    code="too_large",
                )
            cleaned["signature"] = upload.read()
        elif text:
            if len(text) > MAX_CMS_BYTES * 2:
                raise forms.ValidationError(
                    _("The text is too long for a signature."), code="too_large"
                )
            cleaned["signature"] = text
        else:
            raise forms.ValidationError(
                _("Sign with NCALayer, or paste or upload the signature."), code="required"
            )
        return cleaned


class EsignLoginForm(SignatureForm):
    # Rendered by the template from the page's fresh challenge, not from the posted one.
    nonce = forms.CharField(widget=forms.HiddenInput, max_length=128, required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not cleaned.get("nonce"):
            from qamqor.accounts.signin import MESSAGES, NONCE_UNKNOWN

            raise forms.ValidationError(MESSAGES[NONCE_UNKNOWN], code="nonce")
        return cleaned


DEV_KEY_TYPES = (
    ("ecdsa", _("ECDSA P-256 (fast)")),
    ("gost512", _("GOST 34.10-2015, 512-bit (as real NCA keys)")),
)


class DevSignerForm(forms.Form):
    """DEVELOPMENT ONLY: which demo user's test key signs, and which type of key: ECDSA (the
    default, fast) or GOST 34.10-2015 512-bit, the type of most keys NCA RK issues (issue 12)."""

    user = forms.ModelChoiceField(
        queryset=User.objects.none(),
        label=_("Demo user"),
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a demo user."),
            "invalid_choice": _("Choose a demo user from the list."),
        },
    )
    key_type = forms.ChoiceField(
        label=_("Type of key"),
        choices=DEV_KEY_TYPES,
        initial="ecdsa",
        required=False,  # absent (an older page): ECDSA
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose a type of key from the list.")},
    )
    nonce = forms.CharField(widget=forms.HiddenInput, max_length=128)  # rendered by the template

    def clean_key_type(self) -> str:
        return str(self.cleaned_data.get("key_type") or "ecdsa")

    def __init__(self, *args: Any, users: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users  # type: ignore[attr-defined]
        self.fields["user"].label_from_instance = _label  # type: ignore[attr-defined]


def _label(user: User) -> str:
    # role_assignments is prefetched with active rows only (selectors.demo_users)
    roles = ", ".join(str(a.get_role_display()) for a in user.role_assignments.all())
    return f"{user.get_full_name()} — {roles}" if roles else user.get_full_name()
