from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from qamqor.accounts.models import User


class DevLoginForm(forms.Form):
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

    def __init__(self, *args: Any, users: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users  # type: ignore[attr-defined]
        self.fields["user"].label_from_instance = _label  # type: ignore[attr-defined]


def _label(user: User) -> str:
    # role_assignments is prefetched with active rows only (selectors.demo_users)
    roles = ", ".join(str(a.get_role_display()) for a in user.role_assignments.all())
    return f"{user.get_full_name()} — {roles}" if roles else user.get_full_name()
