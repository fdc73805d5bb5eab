"""Reads of the registry of specialists: the chokepoints ``get_application_for`` and
``get_attachment_for`` (someone else's application is a 404), the administrator's queue
(R-SPC-3) and the public registry (R-SPC-5)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from qamqor.accounts.permissions import can
from qamqor.core.calendar import next_working_day
from qamqor.core.errors import NotFoundError
from qamqor.specialists.models import (
    Application,
    ApplicationVersion,
    Attachment,
    Profession,
    Specialist,
    Status,
)


def _not_found() -> NotFoundError:
    return NotFoundError("specialists.not_found", _("No such application."))


def applications_for(user: Any) -> QuerySet[Application]:
    """The applications ``user`` may read: their own; every one for the registry administrator."""
    if not getattr(user, "is_authenticated", False):
        return Application.objects.none()
    if can(user, "specialists.review_application"):
        return Application.objects.all()
    return Application.objects.filter(applicant=user)


def get_application_for(user: Any, pk: int, *, write: bool = False) -> Application:
    """The chokepoint: the application if ``user`` may read it (or change it, ``write=True``:
    only the applicant), otherwise ``NotFoundError``."""
    qs = Application.objects.filter(applicant=user) if write else applications_for(user)
    application = qs.select_related("region", "profession", "applicant").filter(pk=pk).first()
    if application is None:
        raise _not_found()
    return application


def current_application(user: Any) -> Application | None:
    """The user's application that is not refused (at most one), if any."""
    return (
        Application.objects.filter(applicant=user).exclude(status=Status.REFUSED).first()
        if getattr(user, "is_authenticated", False)
        else None
    )


def past_applications(user: Any) -> QuerySet[Application]:
    return Application.objects.filter(applicant=user, status=Status.REFUSED)


def active_attachments(application: Application) -> QuerySet[Attachment]:
    return application.attachments.filter(removed_at__isnull=True)


def get_attachment_for(user: Any, pk: int) -> Attachment:
    """A document only for its applicant and the registry administrator (issue 5 item 1)."""
    attachment = (
        Attachment.objects.select_related("application", "application__applicant")
        .filter(pk=pk, application__in=applications_for(user))
        .first()
    )
    if attachment is None:
        raise NotFoundError("specialists.not_found", _("No such document."))
    return attachment


def versions_of(application: Application) -> list[ApplicationVersion]:
    """Every version with its decision, oldest first (R-SPC-4: all stay readable)."""
    return list(
        application.versions.select_related("decision", "decision__decided_by").order_by("number")
    )


def review_queue(*, status: str = Status.SUBMITTED) -> QuerySet[Application]:
    """R-SPC-3: the administrator's work queue, the nearest due date first."""
    return (
        Application.objects.filter(status=status)
        .select_related("profession", "region")
        .order_by("due_on", "submitted_at", "pk")
    )


def queue_counts(today: dt.date | None = None) -> dict[str, int]:
    """For the dashboard: under review, due today or on the next working day, overdue."""
    day = today or timezone.localdate()
    qs = Application.objects.filter(status=Status.SUBMITTED)
    return {
        "under_review": qs.count(),
        "near_due": qs.filter(due_on__gte=day, due_on__lte=next_working_day(day)).count(),
        "overdue": qs.filter(due_on__lt=day).count(),
    }


def professions() -> QuerySet[Profession]:
    return Profession.objects.filter(is_active=True)


def public_specialists(
    *,
    q: str = "",
    region: str = "",
    profession: str = "",
    category: str = "",
) -> QuerySet[Specialist]:
    """R-SPC-5: registered specialists who consent to publication, searched by name and filtered
    by region (KATO), profession (code) and qualification category."""
    qs = Specialist.objects.filter(publication_consent=True, excluded_on__isnull=True)
    if q.strip():
        qs = qs.filter(search_name__contains=" ".join(q.lower().split()))
    if region:
        qs = qs.filter(region__kato=region)
    if profession:
        qs = qs.filter(profession__code=profession)
    if category:
        qs = qs.filter(qualification_category=category)
    return qs.select_related("region", "profession").order_by("surname", "given_name", "id")


def get_public_specialist(pk: int) -> Specialist:
    entry = public_specialists().filter(pk=pk).first()
    if entry is None:
        raise NotFoundError(
            "specialists.not_found", _("No such specialist in the public registry.")
        )
    return entry
