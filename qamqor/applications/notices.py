"""Messages to the people of a case, through the notifications app (in-portal inbox, SMS and
e-mail on commit). Subjects and bodies are msgids with named placeholders (R-X-4)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qamqor.accounts.models import User
from qamqor.applications.models import Application

SUBJECTS = {
    "applications.refused_at_intake": (
        _("Application %(number)s: acceptance refused"),
        _("The documents are incomplete or expired. The list is in your personal cabinet."),
    ),
    "applications.registered": (
        _("Application %(number)s accepted"),
        _("The result is due on %(due)s."),
    ),
    "applications.assessment_assigned": (
        _("Assessment of application %(number)s is assigned to you"),
        _("Write the conclusion by %(due)s."),
    ),
    "applications.concluded": (
        _("Conclusion on application %(number)s received"),
        _("Decide by %(due)s."),
    ),
    "applications.approved": (
        _("Application %(number)s: special social services approved"),
        _("The signed result is in your personal cabinet."),
    ),
    "applications.hearing_notified": (
        _("Application %(number)s: a refusal is intended, you are invited to a hearing"),
        _("The hearing: %(when)s, %(place)s. You may give your objections."),
    ),
    "applications.refused": (
        _("Application %(number)s refused"),
        _("The reasoned decision is in your personal cabinet."),
    ),
    "applications.choice_notified": (
        _("Application %(number)s: choose an organization"),
        _(
            "Your documents are processed. Log in to the portal and choose a stationary or "
            "semi-stationary organization."
        ),
    ),
    "applications.overdue": (
        _("Overdue cases: %(count)s"),
        _("Some stages of the cases you are responsible for are overdue. Open the dashboard."),
    ),
}


def case_url(app: Application) -> str:
    return reverse("applications:case", args=[app.pk])


def recipient_users(app: Application) -> list[User]:
    """The recipient's own account (by IIN) and whoever filed for them on the portal."""
    query = Q(iin=app.recipient.iin)
    if app.on_behalf_of_id:
        query |= Q(pk=app.filed_by_id)
    return list(User.objects.filter(query, is_active=True))


def send(users: list[Any], kind: str, url: str, **params: Any) -> None:
    from qamqor.notifications.services import notify

    subject, body = SUBJECTS[kind]
    for user in users:
        if user is None:
            continue
        notify(user, kind=kind, subject=subject, body=body, params=params, url=url)
