"""Complaints about decisions, actions or inaction (R-SVC-14): registered with number and date;
reviewed within 5 working days; forwarded to the reviewing body within 3 working days unless
fully satisfied; a complaint to the quality authority is reviewed within 15 working days;
outcomes include "went to court"."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qamqor.accounts.models import User
from qamqor.accounts.permissions import require
from qamqor.applications.models import Application, Complaint
from qamqor.applications.services.common import new_number, update_rows
from qamqor.core.audit import record_event
from qamqor.core.errors import ConflictError, DomainError
from qamqor.core.terms import deadline_for

# Which outcomes may follow which state.
OUTCOMES: dict[str, frozenset[str]] = {
    Complaint.State.REGISTERED: frozenset(
        {
            Complaint.State.SATISFIED,
            Complaint.State.PARTLY_SATISFIED,
            Complaint.State.REJECTED,
            Complaint.State.FORWARDED,
            Complaint.State.COURT,
        }
    ),
    Complaint.State.PARTLY_SATISFIED: frozenset({Complaint.State.FORWARDED, Complaint.State.COURT}),
    Complaint.State.REJECTED: frozenset({Complaint.State.FORWARDED, Complaint.State.COURT}),
    Complaint.State.FORWARDED: frozenset({Complaint.State.COURT}),
    Complaint.State.SATISFIED: frozenset(),
    Complaint.State.COURT: frozenset(),
}


@transaction.atomic(durable=True)
def register_complaint(
    app: Application, *, actor: User, subject: str, filed_to: str, text: str
) -> Complaint:
    """R-SVC-14: register a complaint with its number and date and its review terms."""
    require(actor, "applications.handle_complaint", app)
    if subject not in Complaint.Subject.values:
        raise DomainError("choice", _("Choose what the complaint is about."), field="subject")
    if filed_to not in Complaint.FiledTo.values:
        raise DomainError("choice", _("Choose where the complaint was filed."), field="filed_to")
    if not text.strip():
        raise DomainError("required", _("Write the text of the complaint."), field="text")
    today = timezone.localdate()
    key = "quality_authority" if filed_to == Complaint.FiledTo.QUALITY_AUTHORITY else "main"
    review = deadline_for("R-SVC-14", today, key=key)
    deadlines = {"review": review.as_dict()}
    forward_due = None
    if key == "main":
        forward = deadline_for("R-SVC-14", today, key="forward")
        deadlines["forward"] = forward.as_dict()
        forward_due = forward.due
    complaint = Complaint.objects.create(
        number=new_number("C"),
        application=app,
        subject=subject,
        filed_to=filed_to,
        text=text.strip(),
        registered_on=today,
        registered_by=actor,
        review_due=review.due,
        forward_due=forward_due,
        deadlines=deadlines,
    )
    record_event(
        "applications.complaint_registered",
        complaint,
        actor=actor,
        data={"application": app.number, "number": complaint.number},
    )
    return complaint


@transaction.atomic(durable=True)
def record_complaint_outcome(
    complaint: Complaint, *, actor: User, state: str, comment: str = ""
) -> Complaint:
    """R-SVC-14: the outcome (satisfied, partly, rejected, forwarded, went to court). Refuses a
    move that does not follow (``applications.complaint_state``) and an outcome without a
    comment."""
    require(actor, "applications.handle_complaint", complaint.application)
    if state not in OUTCOMES.get(complaint.state, frozenset()):
        raise ConflictError(
            "applications.complaint_state",
            _("This outcome cannot follow the present state of the complaint."),
            field="state",
        )
    if not comment.strip():
        raise DomainError("required", _("Write the grounds of the outcome."), field="comment")
    changed = update_rows(
        Complaint.objects.filter(pk=complaint.pk, state=complaint.state),
        state=state,
        outcome_comment=comment.strip(),
        decided_on=timezone.localdate(),
    )
    if changed != 1:
        raise ConflictError(
            "applications.concurrent_change", _("The complaint was changed by someone else.")
        )
    record_event(
        "applications.complaint_outcome",
        complaint,
        actor=actor,
        data={"from": complaint.state, "to": state},
    )
    complaint.refresh_from_db()
    return complaint
