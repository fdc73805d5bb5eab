"""The transitions of a case, one service per legal act (R-SVC-7…11; workflow.py holds the
table). Each checks permission and state, writes compare-and-set, appends the transition row
and the event, stores its due dates with their explanation, and notifies inside the same
transaction (delivery happens on commit)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from qamqor.accounts import signing
from qamqor.accounts.models import SignedDocument, User
from qamqor.accounts.permissions import can, require
from qamqor.accounts.roles import Role
from qamqor.applications import notices
from qamqor.applications.models import Application, Channel, FormKind, RefusalGround
from qamqor.applications.services.common import move, term, with_deadlines
from qamqor.applications.workflow import Status
from qamqor.core.calendar import next_working_day
from qamqor.core.errors import DomainError
from qamqor.organizations.models import Organization, OrganizationStatus, ServiceCondition

DECISION_ACT = "applications.decision"


def term_start(app: Application) -> dt.date:
    """R-SVC-6: the event that starts the service term (the next working day after acceptance
    at the State Corporation)."""
    assert app.registered_on is not None
    if app.channel == Channel.STATE_CORPORATION:
        return next_working_day(app.registered_on)
    return app.registered_on


def _fmt(day: dt.date | None) -> str:
    return day.strftime("%d.%m.%Y") if day else ""


def _started(app: Application) -> dt.date:
    return app.registered_on or timezone.localdate()


@transaction.atomic(durable=True)
def assign_assessment(app: Application, social_worker: User, *, actor: User) -> Application:
    """R-SVC-7: the officer assigns the assessment to a social worker of the district; the
    conclusion is due within 10 working days of acceptance. Refuses a worker without the
    social-worker role in this district (``applications.not_a_social_worker``)."""
    require(actor, "applications.manage_case", app)
    grants = social_worker.role_assignments.filter(
        role=Role.SOCIAL_WORKER, district_id=app.district_id, revoked_at__isnull=True
    )
    if not grants.exists():
        raise DomainError(
            "applications.not_a_social_worker",
            _("Choose a social worker of this district."),
            field="social_worker",
        )
    due = term(app, "R-SVC-7", term_start(app), started=_started(app))
    move(
        app,
        Status.ASSESSMENT_ASSIGNED,
        actor=actor,
        verb="assessment_assigned",
        social_worker=social_worker,
        responsible_officer=actor,
        current_due=due.due,
        deadlines=with_deadlines(app, assessment=due),
        data={"social_worker": social_worker.pk},
    )
    notices.send(
        [social_worker],
        "applications.assessment_assigned",
        notices.case_url(app),
        number=app.number,
        due=_fmt(due.due),
    )
    return app


@transaction.atomic(durable=True)
def record_conclusion(
    app: Application,
    *,
    actor: User,
    needs_services: bool,
    findings: str,
    recommended_form: str = "",
) -> Application:
    """R-SVC-7, R-SVC-8: the assigned social worker writes the conclusion; the decision is due
    within 3 working days of receiving it. Refuses an empty finding (``required``)."""
    require(actor, "applications.conclude", app)
    if not findings.strip():
        raise DomainError("required", _("Write the findings of the assessment."), field="findings")
    if recommended_form and recommended_form not in FormKind.values:
        raise DomainError("choice", _("Choose form 1 or form 2."), field="recommended_form")
    today = timezone.localdate()
    due = term(app, "R-SVC-8", today, started=_started(app))
    move(
        app,
        Status.CONCLUDED,
        actor=actor,
        verb="concluded",
        conclusion={
            "needs_services": needs_services,
            "findings": findings.strip(),
            "recommended_form": recommended_form,
            "written_by": actor.get_full_name(),
            "written_on": today.isoformat(),
        },
        concluded_on=today,
        current_due=due.due,
        deadlines=with_deadlines(app, decision=due),
    )
    notices.send(
        [app.responsible_officer],
        "applications.concluded",
        notices.case_url(app),
        number=app.number,
        due=_fmt(due.due),
    )
    return app


def decision_act(
    app: Application,
    decision: str,
    *,
    on: dt.date | None = None,
    ground: int | None = None,
    reasons: str = "",
) -> dict[str, Any]:
    """The decision the officer signs (R-X-2) and the recipient receives as the result."""
    return {
        "act": DECISION_ACT,
        "application": app.number,
        "recipient_iin": app.recipient.iin,
        "recipient": app.recipient.full_name,
        "form": app.form_kind,
        "stay": app.stay,
        "decision": decision,
        "ground": ground or "",
        "reasons": reasons,
        "date": (on or timezone.localdate()).isoformat(),
    }


def _signed_decision(
    app: Application, act: dict[str, Any], cms: bytes | str, actor: User
) -> SignedDocument:
    return signing.record_signed_document(
        kind=DECISION_ACT, content=signing.canonical_bytes(act), cms=cms, signed_by=actor
    )


@transaction.atomic(durable=True)
def approve(app: Application, *, actor: User, cms: bytes | str, comment: str = "") -> Application:
    """R-SVC-8, R-SVC-11: a positive decision, signed by the officer (the result, R-SVC-9); the
    notification to choose an organization is due within 2 working days."""
    require(actor, "applications.manage_case", app)
    today = timezone.localdate()
    document = _signed_decision(app, decision_act(app, "approved", on=today), cms, actor)
    due = term(app, "R-SVC-9", today, started=_started(app))
    move(
        app,
        Status.APPROVED,
        actor=actor,
        verb="approved",
        comment=comment,
        signed_document=document,
        result_document=document,
        decided_on=today,
        current_due=due.due,
        deadlines=with_deadlines(app, notify_choice=due),
    )
    if app.channel == Channel.STATE_CORPORATION:
        _to_state_corporation(app, today)
    notices.send(
        notices.recipient_users(app),
        "applications.approved",
        reverse("applications:my-application", args=[app.pk]),
        number=app.number,
    )
    return app


def _to_state_corporation(app: Application, today: dt.date) -> None:
    """R-SVC-13: a result of the State Corporation channel waits there to be collected."""
    from qamqor.applications.services.results import store_at_state_corporation

    store_at_state_corporation(app, today)


@transaction.atomic(durable=True)
def intend_refusal(app: Application, *, actor: User, ground: int, reasons: str) -> Application:
    """R-SVC-11: a refusal is intended (with its R-SVC-10 ground); the hearing notice must go
    out at least 3 working days before the service term ends. Refuses an unknown ground or
    empty reasons."""
    require(actor, "applications.manage_case", app)
    _check_ground(ground, reasons)
    assert app.result_due is not None
    notice = term(app, "R-SVC-11", app.result_due, key="notice", started=_started(app))
    move(
        app,
        Status.REFUSAL_INTENDED,
        actor=actor,
        verb="refusal_intended",
        reason_codes=[f"R-SVC-10.{ground}"],
        comment=reasons,
        refusal_ground=ground,
        refusal_reasons=reasons.strip(),
        current_due=notice.due,
        deadlines=with_deadlines(app, hearing_notice=notice),
    )
    return app


def _check_ground(ground: int | None, reasons: str) -> None:
    if ground not in RefusalGround.values:
        raise DomainError(
            "applications.refusal_ground",
            _("Choose the ground for refusal (R-SVC-10)."),
            field="ground",
        )
    if not reasons.strip():
        raise DomainError("required", _("Write the reasons of the refusal."), field="reasons")


@transaction.atomic(durable=True)
def send_hearing_notice(
    app: Application, *, actor: User, hearing_at: dt.datetime, place: str
) -> Application:
    """R-SVC-11: notify the recipient of the intended refusal and of the hearing. Refuses a
    notice later than 3 working days before the term ends (``applications.notice_too_late``),
    a hearing before the notice or later than 2 working days after it
    (``applications.hearing_date``), and an empty place."""
    require(actor, "applications.manage_case", app)
    today = timezone.localdate()
    notice_due = app.deadline("hearing_notice")
    if notice_due is not None and today > notice_due.due:
        raise DomainError(
            "applications.notice_too_late",
            _(
                "The hearing notice had to go out by %(due)s (at least 3 working days before "
                "the term ends, R-SVC-11). Decide without a refusal or record the breach."
            )
            % {"due": _fmt(notice_due.due)},
        )
    if not place.strip():
        raise DomainError("required", _("Write the place or way of the hearing."), field="place")
    hearing = term(app, "R-SVC-11", today, key="hearing", started=_started(app))
    if timezone.is_naive(hearing_at):  # the API's "2026-03-02T10:00" means Astana time (issue 10)
        hearing_at = timezone.make_aware(hearing_at)
    day = timezone.localtime(hearing_at).date()
    if day < today or day > hearing.due:
        raise DomainError(
            "applications.hearing_date",
            _("The hearing is held from today to %(due)s (within 2 working days, R-SVC-11).")
            % {"due": _fmt(hearing.due)},
            field="hearing_at",
        )
    move(
        app,
        Status.HEARING_NOTIFIED,
        actor=actor,
        verb="hearing_notified",
        hearing_at=hearing_at,
        hearing_place=place.strip(),
        hearing_notice_sent_on=today,
        current_due=hearing.due,
        deadlines=with_deadlines(app, hearing=hearing),
    )
    notices.send(
        notices.recipient_users(app),
        "applications.hearing_notified",
        reverse("applications:my-application", args=[app.pk]),
        number=app.number,
        when=timezone.localtime(hearing_at).strftime("%d.%m.%Y %H:%M"),
        place=place.strip(),
    )
    return app


@transaction.atomic(durable=True)
def refuse(
    app: Application, *, actor: User, cms: bytes | str, ground: int, reasons: str
) -> Application:
    """R-SVC-10, R-SVC-11: after the hearing, a reasoned refusal with its ground, signed."""
    require(actor, "applications.manage_case", app)
    _check_ground(ground, reasons)
    today = timezone.localdate()
    act = decision_act(app, "refused", on=today, ground=ground, reasons=reasons.strip())
    document = _signed_decision(app, act, cms, actor)
    move(
        app,
        Status.REFUSED,
        actor=actor,
        verb="refused",
        reason_codes=[f"R-SVC-10.{ground}"],
        comment=reasons,
        signed_document=document,
        result_document=document,
        refusal_ground=ground,
        refusal_reasons=reasons.strip(),
        decided_on=today,
        current_due=None,
        closed_at=timezone.now(),
    )
    if app.channel == Channel.STATE_CORPORATION:
        _to_state_corporation(app, today)
    notices.send(
        notices.recipient_users(app),
        "applications.refused",
        reverse("applications:my-application", args=[app.pk]),
        number=app.number,
    )
    return app


@transaction.atomic(durable=True)
def notify_to_choose(app: Application, *, actor: User) -> Application:
    """R-SVC-9: the portal notification that the documents are processed and the recipient
    must choose a stationary or semi-stationary organization."""
    require(actor, "applications.manage_case", app)
    today = timezone.localdate()
    move(
        app,
        Status.CHOICE_NOTIFIED,
        actor=actor,
        verb="choice_notified",
        choice_notified_on=today,
        current_due=None,
    )
    notices.send(
        notices.recipient_users(app),
        "applications.choice_notified",
        reverse("applications:choose", args=[app.pk]),
        number=app.number,
    )
    return app


CONDITION_OF_FORM = {
    FormKind.STATIONARY: ServiceCondition.STATIONARY,
    FormKind.SEMI_STATIONARY: ServiceCondition.SEMI_STATIONARY,
}


@transaction.atomic(durable=True)
def choose_organization(
    app: Application, organization: Organization, *, actor: User
) -> Application:
    """R-SVC-9: the recipient (or representative) chooses an organization offering the form's
    condition; the hand-off to the journal/queue is the event
    ``applications.organization_chosen``. Refuses an excluded organization or one without the
    condition (``applications.organization_unsuitable``)."""
    if not can(actor, "applications.choose_organization", app):
        require(actor, "applications.manage_case", app)
    condition = CONDITION_OF_FORM[FormKind(app.form_kind)]
    suitable = (
        organization.status != OrganizationStatus.EXCLUDED
        and organization.services.filter(condition=condition).exists()
    )
    if not suitable:
        raise DomainError(
            "applications.organization_unsuitable",
            _("This organization does not provide services in the conditions of your form."),
            field="organization",
        )
    move(
        app,
        Status.ORGANIZATION_CHOSEN,
        actor=actor,
        verb="organization_chosen",
        chosen_organization=organization,
        closed_at=timezone.now(),
        data={"organization": organization.pk, "condition": str(condition)},
    )
    return app
