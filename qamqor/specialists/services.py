"""Commands of the registry of specialists (R-SPC-1…5). Every write is here, each one a
transaction that checks the permission and the workflow, and records an event.

* The applicant: ``start_application``, ``save_draft`` (a draft saved at every step),
  ``attach_document`` / ``remove_document``, ``submit`` (a new version, the 5-working-day term
  starts, R-SPC-3/R-SPC-4), ``start_update`` (a registered specialist's new version, R-SPC-4),
  ``set_publication_consent`` (R-SPC-5).
* The registry administrator (R-SPC-3): ``register``, ``return_for_revision``, ``refuse``.
* The sweep: ``flag_due_applications`` (issue 5 item 5).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qamqor.accounts.models import User
from qamqor.accounts.permissions import require
from qamqor.core.audit import record_event
from qamqor.core.calendar import next_working_day
from qamqor.core.errors import ConflictError, DomainError
from qamqor.core.history import acting_as, audited_update
from qamqor.core.terms import deadline_for
from qamqor.specialists import files
from qamqor.specialists.models import (
    Application,
    ApplicationVersion,
    Attachment,
    Decision,
    DecisionKind,
    DocumentKind,
    DueFlag,
    QualificationCategory,
    RefusalReason,
    ReturnReason,
    Specialist,
    Status,
)
from qamqor.specialists.workflow import EDITABLE, ensure_transition

RULE = "R-SPC-3"

#: The working-copy fields a draft step may write (R-SPC-2).
DRAFT_FIELDS = frozenset(
    {
        "surname",
        "given_name",
        "patronymic",
        "birth_date",
        "phone",
        "email",
        "region",
        "locality",
        "address",
        "profession",
        "experience_years",
        "experience_months",
        "education",
        "employment",
        "qualification_category",
        "qualification_date",
        "attestation_commission",
        "publication_consent",
    }
)


def _application_url(application: Application) -> str:
    return reverse("specialists:application", args=[application.pk])


def _notify(user: Any, kind: str, subject: Any, body: Any, params: Mapping[str, Any]) -> None:
    # The applicant is told in their own language, in the portal and by SMS/e-mail (issue 5
    # item 2); the notifications app sends after the commit.
    from qamqor.notifications.services import notify

    notify(
        user,
        kind=kind,
        subject=subject,
        body=body,
        params=dict(params),
        url=str(params.get("url", "")),
        sms=True,
        email=True,
    )


# --- The applicant ----------------------------------------------------------------------------


@transaction.atomic(durable=True)
def start_application(user: Any) -> Application:
    """R-SPC-1: open a new application (a draft), prefilled from the account.

    Refuses (``specialists.already_applied``) while the user has an application that is not
    refused (R-SPC-4: a refused applicant applies again only with a new application).
    """
    require(user, "specialists.apply")
    if Application.objects.filter(applicant=user).exclude(status=Status.REFUSED).exists():
        raise ConflictError(
            "specialists.already_applied",
            _("You already have an application. Open it to continue."),
        )
    application = Application.objects.create(
        applicant=user,
        surname=user.surname,
        given_name=user.given_name,
        patronymic=user.patronymic,
        phone=user.phone or None,
        email=user.email or "",
    )
    record_event("specialists.start", application, actor=user)
    return application


def _require_editable(user: Any, application: Application) -> None:
    require(user, "specialists.change_application", application)
    if application.status not in EDITABLE:
        raise ConflictError(
            "specialists.not_editable",
            _("This application is %(status)s and cannot be changed now.")
            % {"status": Status(application.status).label},
        )


@transaction.atomic(durable=True)
def save_draft(user: Any, application: Application, values: Mapping[str, Any]) -> Application:
    """Save one step of the form (issue 5 item 1: a draft is saved at every step). Only the
    fields of the form are written; completeness is checked at ``submit``."""
    application = _locked(application.pk)
    _require_editable(user, application)
    unknown = set(values) - DRAFT_FIELDS
    if unknown:
        raise ValueError(f"not draft fields: {sorted(unknown)}")
    for name, value in values.items():
        setattr(
            application, name, _json_ready(value) if name in ("education", "employment") else value
        )
    application.save()
    return application


def _json_ready(entries: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [
        {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in entry.items()}
        for entry in entries
    ]


@transaction.atomic(durable=True)
def attach_document(
    user: Any, application: Application, kind: str, upload: UploadedFile
) -> Attachment:
    """Attach a document (R-SPC-2): PDF/JPEG/PNG sniffed from the content, within the size limit,
    stored outside the web root under a name the server chooses."""
    application = _locked(application.pk)
    _require_editable(user, application)
    if kind not in DocumentKind.values:
        raise DomainError(
            "specialists.document_kind", _("Choose the kind of document."), field="kind"
        )
    checked = files.check_upload(upload, int(upload.size or 0))
    attachment = Attachment(
        application=application,
        kind=kind,
        original_name=(upload.name or "document")[-255:],
        content_type=checked.content_type,
        extension=checked.extension,
        size=checked.size,
        sha256=checked.sha256,
        token=secrets.token_hex(8),
        uploaded_by=user,
    )
    attachment.file.save("upload", upload, save=False)
    # A file written before a rollback would be an orphan: remove it if the insert fails.
    stored = attachment.file.name
    try:
        attachment.save()
        record_event(
            "specialists.attach",
            application,
            actor=user,
            data={"attachment": attachment.pk, "kind": kind, "sha256": checked.sha256},
        )
    except Exception:
        attachment.file.storage.delete(stored)
        raise
    return attachment


@transaction.atomic(durable=True)
def remove_document(user: Any, attachment: Attachment) -> Attachment:
    """Take a document off the working copy; the file stays for the versions that list it."""
    application = _locked(attachment.application_id)
    _require_editable(user, application)
    attachment = Attachment.objects.get(pk=attachment.pk)
    if attachment.removed_at is None:
        attachment.removed_at = timezone.now()
        attachment.save(update_fields=["removed_at", "updated_at"])
        record_event(
            "specialists.remove_document",
            application,
            actor=user,
            data={"attachment": attachment.pk},
        )
    return attachment


def missing_items(application: Application) -> list[tuple[str, str]]:
    """What R-SPC-2 requires and the working copy lacks: ``(field, message)`` pairs."""
    missing: list[tuple[str, str]] = []

    def need(ok: bool, field: str, message: str) -> None:
        if not ok:
            missing.append((field, message))

    a = application
    need(bool(a.surname.strip()), "surname", _("Enter your surname."))
    need(bool(a.given_name.strip()), "given_name", _("Enter your name."))
    need(a.birth_date is not None, "birth_date", _("Enter your birth date."))
    need(bool(a.phone or a.email), "phone", _("Enter a mobile phone or an e-mail."))
    need(a.region_id is not None, "region", _("Choose the region."))
    need(bool(a.locality.strip()), "locality", _("Enter the locality."))
    need(bool(a.address.strip()), "address", _("Enter the registered address."))
    need(a.profession_id is not None, "profession", _("Choose the profession."))
    need(a.experience_years is not None, "experience_years", _("Enter the work experience."))
    need(bool(a.education), "education", _("Add at least one education entry."))
    need(bool(a.employment), "employment", _("Add at least one employment entry."))
    need(
        bool(a.qualification_category),
        "qualification_category",
        _("Choose the qualification category."),
    )
    if a.qualification_category and a.qualification_category != QualificationCategory.NONE:
        need(
            a.qualification_date is not None,
            "qualification_date",
            _("Enter the date the category was assigned."),
        )
        need(
            bool(a.attestation_commission.strip()),
            "attestation_commission",
            _("Enter the attestation commission."),
        )
    need(
        a.attachments.filter(removed_at__isnull=True).exists(),
        "documents",
        _("Attach at least one document."),
    )
    return missing


def snapshot(application: Application) -> dict[str, Any]:
    """The submitted form as JSON (R-SPC-4: every version is kept readable)."""
    a = application
    return {
        "surname": a.surname,
        "given_name": a.given_name,
        "patronymic": a.patronymic,
        "birth_date": a.birth_date.isoformat() if a.birth_date else None,
        "phone": str(a.phone or ""),
        "email": a.email,
        "region": a.region_id,
        "locality": a.locality,
        "address": a.address,
        "profession": a.profession_id,
        "experience_years": a.experience_years,
        "experience_months": a.experience_months or 0,
        "education": list(a.education),
        "employment": list(a.employment),
        "qualification_category": a.qualification_category,
        "qualification_date": a.qualification_date.isoformat() if a.qualification_date else None,
        "attestation_commission": a.attestation_commission,
        "publication_consent": a.publication_consent,
    }


@transaction.atomic(durable=True)
def submit(
    user: Any, application: Application, *, at: dt.datetime | None = None
) -> ApplicationVersion:
    """Submit the working copy as a new version (R-SPC-2, R-SPC-3, R-SPC-4).

    The term of R-SPC-3 — 5 working days after the day the application arrives — starts with
    every version (R-SPC-4: "the 5-day term starts again"), computed by the calendar service and
    stored with its explanation (R-X-1). Refuses an incomplete form
    (``specialists.incomplete``, the first missing field) and a non-editable state.
    """
    application = _locked(application.pk)
    _require_editable(user, application)
    ensure_transition(application.status, Status.SUBMITTED)
    missing = missing_items(application)
    if missing:
        field, message = missing[0]
        raise DomainError(
            "specialists.incomplete",
            message,
            field=field,
            params={"missing": [f for f, _m in missing]},
        )
    now = at or timezone.now()
    arrived_on = timezone.localdate(now)
    first = application.versions.order_by("number").first()
    deadline = deadline_for(
        RULE, arrived_on, case_started_on=first.arrived_on if first else arrived_on
    )
    number = application.versions.count() + 1
    version = ApplicationVersion.objects.create(
        application=application,
        number=number,
        submitted_at=now,
        submitted_by=user,
        arrived_on=arrived_on,
        due_on=deadline.due,
        deadline=deadline.as_dict(),
        data=snapshot(application),
        attachments=list(
            application.attachments.filter(removed_at__isnull=True).values_list("pk", flat=True)
        ),
    )
    application.status = Status.SUBMITTED
    application.submitted_at = now
    application.arrived_on = arrived_on
    application.due_on = deadline.due
    application.deadline = deadline.as_dict()
    application.due_flag = DueFlag.NONE
    application.save()
    record_event(
        "specialists.submit",
        application,
        actor=user,
        data={
            "version": number,
            "arrived_on": arrived_on.isoformat(),
            "due_on": deadline.due.isoformat(),
        },
    )
    _notify(
        user,
        "specialists.submitted",
        gettext_lazy("Application %(number)s received"),
        gettext_lazy(
            "Your application %(number)s to the registry of specialists was received on "
            "%(arrived)s. The administrator decides by %(due)s."
        ),
        {
            "number": application.number,
            "arrived": f"{arrived_on:%d.%m.%Y}",
            "due": f"{deadline.due:%d.%m.%Y}",
            "url": _application_url(application),
        },
    )
    return version


@transaction.atomic(durable=True)
def start_update(user: Any, application: Application) -> Application:
    """R-SPC-4: a registered specialist prepares a new version (employment, qualification…);
    the entry stays in the registry as it is until the new version is registered."""
    application = _locked(application.pk)
    require(user, "specialists.change_application", application)
    ensure_transition(application.status, Status.DRAFT)
    application.status = Status.DRAFT
    application.save()
    record_event("specialists.start_update", application, actor=user)
    return application


@transaction.atomic(durable=True)
def set_publication_consent(user: Any, application: Application, consent: bool) -> Application:
    """R-SPC-5: the specialist gives or withdraws consent to publication; for a registered
    entry it takes effect at once (withdrawal must not wait for a review)."""
    application = _locked(application.pk)
    require(user, "specialists.change_application", application)
    if application.status == Status.REFUSED:
        # A refused application is closed (R-SPC-4): nothing of it changes any more.
        raise ConflictError(
            "specialists.not_editable",
            _("This application is %(status)s and cannot be changed now.")
            % {"status": Status(application.status).label},
        )
    application.publication_consent = consent
    application.save()
    entry = Specialist.objects.filter(application=application).first()
    if entry is not None and entry.publication_consent != consent:
        entry.publication_consent = consent
        entry.save()
    record_event(
        "specialists.consent", application, actor=user, data={"publication_consent": consent}
    )
    return application


# --- The registry administrator (R-SPC-3) -----------------------------------------------------


def _decide(
    admin: Any,
    application: Application,
    kind: DecisionKind,
    new_status: Status,
    reasons: list[str],
    comment: str,
    *,
    at: dt.datetime | None = None,
) -> Decision:
    require(admin, "specialists.review_application", application)
    ensure_transition(application.status, new_status)
    now = at or timezone.now()
    with acting_as(admin):
        # Compare-and-set: two administrators deciding at once cannot both succeed.
        changed = _audited_update(
            Application.objects.filter(pk=application.pk, status=Status.SUBMITTED),
            status=new_status,
            due_flag=DueFlag.NONE,
            updated_at=now,
        )
    if changed != 1:
        raise ConflictError(
            "specialists.already_decided",
            _("Another decision on this application was recorded first. Reload the page."),
        )
    version = application.versions.order_by("-number").first()
    assert version is not None
    today = timezone.localdate(now)
    decision = Decision.objects.create(
        application=application,
        version=version,
        kind=kind,
        reasons=reasons,
        comment=comment.strip(),
        decided_by=admin,
        decided_at=now,
        decided_on=today,
        in_time=today <= version.due_on,
    )
    application.refresh_from_db()
    record_event(
        f"specialists.{kind}",
        application,
        actor=admin,
        reason_codes=reasons,
        comment=decision.comment,
        data={"version": version.number, "in_time": decision.in_time},
    )
    return decision


def _clean_reasons(
    codes: Iterable[str], allowed: type[ReturnReason] | type[RefusalReason]
) -> list[str]:
    chosen = list(dict.fromkeys(codes))
    bad = [c for c in chosen if c not in allowed.values]
    if bad:
        raise DomainError(
            "specialists.unknown_reason", _("Choose reasons from the list."), field="reasons"
        )
    # Stored in the order of the law, whatever order they were ticked in.
    return [c for c in allowed.values if c in chosen]


@transaction.atomic(durable=True)
def register(
    admin: Any, application: Application, *, comment: str = "", at: dt.datetime | None = None
) -> Decision:
    """R-SPC-3.1: register the application: the entry of the registry is created from the
    submitted version (or updated from it, R-SPC-4), with the date of inclusion (R-SPC-2.10)."""
    application = _locked(application.pk)
    decision = _decide(
        admin, application, DecisionKind.REGISTER, Status.REGISTERED, [], comment, at=at
    )
    data = decision.version.data
    today = decision.decided_on
    entry = Specialist.objects.filter(application=application).first()
    values = _entry_values(data)
    # R-SPC-5: the consent is the specialist's latest word, even if changed during the review.
    values["publication_consent"] = application.publication_consent
    if entry is None:
        entry = Specialist(application=application, included_on=today, **values)
    else:
        for name, value in values.items():
            setattr(entry, name, value)
    entry.updated_on = today
    entry.excluded_on = None
    with acting_as(admin):
        entry.save()
    _notify(
        application.applicant,
        "specialists.registered",
        gettext_lazy("Application %(number)s: you are registered"),
        gettext_lazy(
            "Your application %(number)s is registered: you are included in the registry of "
            "specialists on %(date)s."
        ),
        {
            "number": application.number,
            "date": f"{today:%d.%m.%Y}",
            "url": _application_url(application),
        },
    )
    return decision


def _entry_values(data: Mapping[str, Any]) -> dict[str, Any]:
    from qamqor.core.identifiers import normalize_phone

    def day(value: str | None) -> dt.date | None:
        return dt.date.fromisoformat(value) if value else None

    surname, given, patronymic = data["surname"], data["given_name"], data["patronymic"]
    return {
        "surname": surname,
        "given_name": given,
        "patronymic": patronymic,
        "birth_date": day(data["birth_date"]),
        "phone": normalize_phone(data["phone"]) if data["phone"] else None,
        "email": data["email"],
        "region_id": data["region"],
        "locality": data["locality"],
        "address": data["address"],
        "profession_id": data["profession"],
        "experience_years": data["experience_years"] or 0,
        "experience_months": data["experience_months"] or 0,
        "education": data["education"],
        "employment": data["employment"],
        "qualification_category": data["qualification_category"],
        "qualification_date": day(data["qualification_date"]),
        "attestation_commission": data["attestation_commission"],
        "publication_consent": bool(data["publication_consent"]),
        "search_name": " ".join(p for p in (surname, given, patronymic) if p).lower(),
    }


@transaction.atomic(durable=True)
def return_for_revision(
    admin: Any,
    application: Application,
    reasons: Iterable[str],
    comment: str,
    *,
    at: dt.datetime | None = None,
) -> Decision:
    """R-SPC-3.2: return the application naming one or more of the four reasons, with a comment;
    the applicant fixes it and submits again (R-SPC-4)."""
    codes = _clean_reasons(reasons, ReturnReason)
    if not codes:
        raise DomainError(
            "specialists.reason_required", _("Choose at least one reason."), field="reasons"
        )
    _require_comment(comment)
    application = _locked(application.pk)
    decision = _decide(
        admin, application, DecisionKind.RETURN, Status.RETURNED, codes, comment, at=at
    )
    _notify(
        application.applicant,
        "specialists.returned",
        gettext_lazy("Application %(number)s returned for revision"),
        gettext_lazy(
            "Your application %(number)s was returned for revision. Reasons: %(reasons)s. "
            "Comment: %(comment)s. Correct it and submit it again."
        ),
        {
            "number": application.number,
            "reasons": _ReasonList(codes, ReturnReason),
            "comment": decision.comment,
            "url": _application_url(application),
        },
    )
    return decision


@transaction.atomic(durable=True)
def refuse(
    admin: Any,
    application: Application,
    reason: str,
    comment: str,
    *,
    at: dt.datetime | None = None,
) -> Decision:
    """R-SPC-3.3: refuse naming one of the four reasons, with a comment. A registered specialist
    refused on a new version leaves the public registry (excluded, never deleted)."""
    codes = _clean_reasons([reason] if reason else [], RefusalReason)
    if len(codes) != 1:
        raise DomainError("specialists.reason_required", _("Choose the reason."), field="reasons")
    _require_comment(comment)
    application = _locked(application.pk)
    decision = _decide(
        admin, application, DecisionKind.REFUSE, Status.REFUSED, codes, comment, at=at
    )
    entry = Specialist.objects.filter(application=application).first()
    if entry is not None and entry.excluded_on is None:
        entry.excluded_on = decision.decided_on
        with acting_as(admin):
            entry.save()
    _notify(
        application.applicant,
        "specialists.refused",
        gettext_lazy("Application %(number)s refused"),
        gettext_lazy(
            "Your application %(number)s to the registry of specialists was refused. Reason: "
            "%(reasons)s. Comment: %(comment)s."
        ),
        {
            "number": application.number,
            "reasons": _ReasonList(codes, RefusalReason),
            "comment": decision.comment,
            "url": _application_url(application),
        },
    )
    return decision


class _ReasonList:
    """Reason labels rendered in the language active when the message is written (the
    recipient's, inside ``notify``)."""

    def __init__(self, codes: list[str], choices: type[ReturnReason] | type[RefusalReason]) -> None:
        self.codes = codes
        self.choices = choices

    def __str__(self) -> str:
        return "; ".join(str(self.choices(c).label) for c in self.codes)


def _require_comment(comment: str) -> None:
    if not comment.strip():
        raise DomainError(
            "specialists.comment_required",
            _("Write a comment for the applicant."),
            field="comment",
        )


def _audited_update(qs: Any, **fields: Any) -> int:
    # The history-keeping set-based write (core.history) on the audited manager's queryset.
    return audited_update(qs, **fields)


def _locked(pk: int) -> Application:
    from qamqor.specialists.locks import lock_application

    return lock_application(pk)


# --- The deadline sweep (issue 5 item 5) ------------------------------------------------------


def flag_due_applications(today: dt.date | None = None) -> dict[str, int]:
    """Set-based: flag the applications under review that will be overdue tomorrow (due today)
    and those overdue (R-SPC-3), and clear flags that no longer apply. Idempotent."""
    day = today or timezone.localdate()
    under_review = Application.objects.filter(status=Status.SUBMITTED)
    with transaction.atomic():
        overdue = _audited_update(
            under_review.filter(due_on__lt=day).exclude(due_flag=DueFlag.OVERDUE),
            due_flag=DueFlag.OVERDUE,
        )
        due_today = _audited_update(
            under_review.filter(due_on=day).exclude(due_flag=DueFlag.DUE_TODAY),
            due_flag=DueFlag.DUE_TODAY,
        )
        cleared = _audited_update(
            under_review.filter(due_on__gt=day).exclude(due_flag=DueFlag.NONE),
            due_flag=DueFlag.NONE,
        )
    return {"overdue": overdue, "due_today": due_today, "cleared": cleared}


def near_due_limit(today: dt.date) -> dt.date:
    """Near due: the decision is due today or on the next working day."""
    return next_working_day(today)


@transaction.atomic(durable=True)
def send_deadline_digest(today: dt.date | None = None) -> int:
    """The daily digest (issue 5 item 5): each registry administrator gets one message a day
    with the numbers of overdue applications and of those overdue from tomorrow, when any.
    Idempotent per day (a ``specialists.digest`` event marks the day). Returns messages sent."""
    from qamqor.accounts.roles import Role
    from qamqor.core.models import DomainEvent

    day = today or timezone.localdate()
    if DomainEvent.objects.filter(verb="specialists.digest", subject_id=day.isoformat()).exists():
        return 0
    under_review = Application.objects.filter(status=Status.SUBMITTED)
    overdue = under_review.filter(due_on__lt=day).count()
    due_today = under_review.filter(due_on=day).count()
    record_event(
        "specialists.digest",
        ("specialists.digest", day.isoformat()),
        data={"overdue": overdue, "due_today": due_today},
    )
    if not (overdue or due_today):
        return 0
    admins = User.objects.filter(
        is_active=True,
        role_assignments__role=Role.REGISTRY_ADMIN,
        role_assignments__revoked_at__isnull=True,
    ).distinct()
    sent = 0
    for admin in admins:
        _notify_digest(admin, overdue, due_today, day)
        sent += 1
    return sent


def _notify_digest(admin: Any, overdue: int, due_today: int, day: dt.date) -> None:
    from qamqor.notifications.services import notify

    notify(
        admin,
        kind="specialists.digest",
        subject=gettext_lazy("Registry of specialists: applications near the deadline"),
        body=gettext_lazy(
            "On %(date)s: overdue applications: %(overdue)s; applications that will be overdue "
            "tomorrow: %(due_today)s."
        ),
        params={"date": f"{day:%d.%m.%Y}", "overdue": overdue, "due_today": due_today},
        url=reverse("specialists:queue"),
        sms=False,
        email=True,
    )
