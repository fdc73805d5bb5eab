"""``/api/v1/applications…``: every step of the pages (R-SVC-1…14), the recipient import
(R-SVC-2) and the monitoring feed and dashboard (R-SVC-12). Thin: parse, call one service or
selector. Citizen writes accept ``Idempotency-Key``."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.security import django_auth

from qamqor.accounts import signing
from qamqor.accounts.models import User
from qamqor.accounts.permissions import can
from qamqor.applications import selectors
from qamqor.applications.models import Application
from qamqor.applications.schemas import (
    ActOut,
    ApplicationDetailOut,
    ApplicationOut,
    AssignIn,
    ChooseIn,
    ComplaintIn,
    ComplaintOut,
    ComplaintOutcomeIn,
    ConclusionIn,
    DashboardOut,
    ErrorsOut,
    FeedOut,
    FilingIn,
    HearingIn,
    RecipientsIn,
    RecipientsOut,
    RefusalIn,
    SignedIn,
)
from qamqor.applications.services import cases, complaints, intake, results
from qamqor.applications.services.recipients import RecipientRow, import_recipients
from qamqor.core.errors import DomainError, NotFoundError, PermissionDeniedError
from qamqor.organizations.api import IntegrationBearer
from qamqor.organizations.models import IntegrationClient

router = Router(tags=["state service: applications"], auth=django_auth)
RECIPIENTS_SCOPE = "recipients"


def _errors(items: list[dict[str, Any]], status: int = 400) -> Any:
    return Status(status, {"errors": items})


@router.post(
    "/recipients",
    response={200: RecipientsOut, 400: ErrorsOut},
    auth=[IntegrationBearer(), django_auth],
)
def post_recipients(request: HttpRequest, body: RecipientsIn) -> Any:
    """R-SVC-2: recipient records from the state systems, all or nothing, idempotent. An
    integration client needs the ``recipients`` scope; a user the registry administrator role."""
    auth = request.auth  # type: ignore[attr-defined]
    if isinstance(auth, IntegrationClient):
        if not auth.has_scope(RECIPIENTS_SCOPE):
            raise PermissionDeniedError(
                "integration.scope", _("This client may not send recipients.")
            )
        actor = None
    elif not can(auth, "applications.import_recipients"):
        raise PermissionDeniedError("permission.denied", _("You may not do this."))
    else:
        actor = auth
    rows = [RecipientRow(r) for r in body.recipients]
    result = import_recipients(rows, actor=actor, source="api")
    if not result.ok:
        return _errors(
            [
                {
                    "code": e.code,
                    "message": e.message,
                    "field": f"recipients[{e.index}]" + (f".{e.field}" if e.field else ""),
                }
                for e in result.errors
            ]
        )
    return Status(
        200,
        {
            "batch_id": str(result.batch_id),
            "created": result.count("created"),
            "updated": result.count("updated"),
            "unchanged": result.count("unchanged"),
        },
    )


def _filing(body: FilingIn, key: str) -> intake.Filing:
    data = body.dict()
    data.pop("signature")
    return intake.Filing(**data, idempotency_key=key)


def _cms(text: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise DomainError(
            "esign.not_base64", _("The signature must be base64."), field="signature"
        ) from exc


@router.post("/portal-act", response=ActOut)
def portal_act(request: HttpRequest, body: FilingIn) -> Any:
    """The exact act to sign for a portal filing (send the same body and the ``Idempotency-Key``
    header you will file with)."""
    user: User = request.user  # type: ignore[assignment]
    key = request.headers.get("Idempotency-Key", "")
    act = intake.portal_act(_filing(body, key), user, None)
    return {"act": act, "content_base64": base64.b64encode(signing.canonical_bytes(act)).decode()}


@router.post("", response={200: ApplicationOut, 201: ApplicationOut, 422: ErrorsOut})
def file_application(request: HttpRequest, body: FilingIn) -> Any:
    """R-SVC-1…6: file through the portal (``signature``) or enter a paper application
    (State Corporation, local executive body). ``Idempotency-Key``: a replay returns the first
    application with 200."""
    user: User = request.user  # type: ignore[assignment]
    key = request.headers.get("Idempotency-Key", "")[:100]
    if selectors.filed_with_key(user, key):
        return Status(200, intake.file_application(_filing(body, key), actor=user))
    try:
        app = intake.file_application(
            _filing(body, key), actor=user, cms=_cms(body.signature) if body.signature else None
        )
    except intake.InvalidFiling as exc:
        return _errors(exc.as_errors(), 422)
    return Status(201, app)


class ListFilters(Schema):
    status: str = ""
    bucket: str = ""
    district: int | None = None


@router.get("", response=list[ApplicationOut])
def list_applications(request: HttpRequest, filters: Query[ListFilters]) -> Any:
    """Staff: the open cases they may see (the dashboard's drill-down); others: their own."""
    if can(request.user, "applications.view_dashboard"):
        return list(selectors.drill_down(request.user, **filters.dict())[:200])
    return list(selectors.my_applications(request.user).order_by("-id")[:200])


@router.get("/events", response=FeedOut)
def events(request: HttpRequest, after: int = 0, limit: int = 100) -> Any:
    """R-SVC-12: the append-only feed of stage changes after the cursor ``after``."""
    if not can(request.user, "applications.view_dashboard"):
        raise PermissionDeniedError("permission.denied", _("You may not do this."))
    items = selectors.feed_for(request.user, after=after, limit=limit)
    return {"events": items, "next_cursor": items[-1].id if items else after}


@router.get("/dashboard", response=DashboardOut)
def dashboard(request: HttpRequest) -> Any:
    """R-SVC-12: open cases by stage, due today, due in 1–2 working days, overdue, by district."""
    if not can(request.user, "applications.view_dashboard"):
        raise PermissionDeniedError("permission.denied", _("You may not do this."))
    data = selectors.cached_dashboard(request.user)
    return {
        "today": data["window"].today,
        "totals": data["totals"],
        "by_stage": data["by_stage"],
        "by_district": [
            {k: r[k] for k in ("district", "name", "total", "due_today", "due_soon", "overdue")}
            for r in data["by_district"]
        ],
    }


def _case(request: HttpRequest, pk: int) -> Application:
    try:
        return selectors.get_case_for(request.user, pk)
    except Exception as exc:  # Http404
        raise NotFoundError("not_found", _("There is no such application.")) from exc


@router.get("/{int:pk}", response=ApplicationDetailOut)
def get_application(request: HttpRequest, pk: int) -> Any:
    app = _case(request, pk)
    selectors.log_file_read(request.user, app, request.path)  # R-X-5, R-SVC-16
    app.deadline_rows = [  # type: ignore[attr-defined]
        {"name": name, "due": d.due, "rule_id": d.rule_id, "explanation": d.explain()}
        for name in app.deadlines
        if (d := app.deadline(name)) is not None
    ]
    return app


@router.post("/{int:pk}/assign", response=ApplicationOut)
def assign(request: HttpRequest, pk: int, body: AssignIn) -> Any:
    app = _case(request, pk)
    worker = selectors.social_worker_of(app.district_id, body.social_worker_id)
    if worker is None:
        raise DomainError(
            "applications.not_a_social_worker",
            _("Choose a social worker of this district."),
            field="social_worker_id",
        )
    return cases.assign_assessment(app, worker, actor=request.user)  # type: ignore[arg-type]


@router.post("/{int:pk}/conclusion", response=ApplicationOut)
def conclusion(request: HttpRequest, pk: int, body: ConclusionIn) -> Any:
    return cases.record_conclusion(_case(request, pk), actor=request.user, **body.dict())  # type: ignore[arg-type]


@router.get("/{int:pk}/decision-act", response=ActOut)
def decision_act(request: HttpRequest, pk: int, decision: str = "approve") -> Any:
    """The act the officer signs today for ``approve`` or ``refuse`` (R-X-2)."""
    app = _case(request, pk)
    if decision == "refuse":
        act = cases.decision_act(
            app, "refused", ground=app.refusal_ground, reasons=app.refusal_reasons
        )
    else:
        act = cases.decision_act(app, "approved")
    return {"act": act, "content_base64": base64.b64encode(signing.canonical_bytes(act)).decode()}


@router.post("/{int:pk}/approve", response=ApplicationOut)
def approve(request: HttpRequest, pk: int, body: SignedIn) -> Any:
    return cases.approve(_case(request, pk), actor=request.user, cms=_cms(body.signature))  # type: ignore[arg-type]


@router.post("/{int:pk}/intend-refusal", response=ApplicationOut)
def intend_refusal(request: HttpRequest, pk: int, body: RefusalIn) -> Any:
    return cases.intend_refusal(_case(request, pk), actor=request.user, **body.dict())  # type: ignore[arg-type]


@router.post("/{int:pk}/hearing-notice", response=ApplicationOut)
def hearing_notice(request: HttpRequest, pk: int, body: HearingIn) -> Any:
    return cases.send_hearing_notice(_case(request, pk), actor=request.user, **body.dict())  # type: ignore[arg-type]


@router.post("/{int:pk}/refuse", response=ApplicationOut)
def refuse(request: HttpRequest, pk: int, body: SignedIn) -> Any:
    app = _case(request, pk)
    return cases.refuse(
        app,
        actor=request.user,  # type: ignore[arg-type]
        cms=_cms(body.signature),
        ground=app.refusal_ground or 0,
        reasons=app.refusal_reasons,
    )


@router.post("/{int:pk}/notify-choice", response=ApplicationOut)
def notify_choice(request: HttpRequest, pk: int) -> Any:
    return cases.notify_to_choose(_case(request, pk), actor=request.user)  # type: ignore[arg-type]


@router.post("/{int:pk}/choose", response=ApplicationOut)
def choose(request: HttpRequest, pk: int, body: ChooseIn) -> Any:
    app = _case(request, pk)
    organization = selectors.organizations_for_choice(app).filter(pk=body.organization_id).first()
    if organization is None:
        organization = selectors.organization_by_pk(body.organization_id)
    if organization is None:
        raise NotFoundError(
            "not_found", _("There is no such organization."), field="organization_id"
        )
    return cases.choose_organization(app, organization, actor=request.user)  # type: ignore[arg-type]


@router.post("/{int:pk}/complaints", response={201: ComplaintOut})
def register_complaint(request: HttpRequest, pk: int, body: ComplaintIn) -> Any:
    complaint = complaints.register_complaint(_case(request, pk), actor=request.user, **body.dict())  # type: ignore[arg-type]
    return Status(201, complaint)


@router.post("/{int:pk}/complaints/{int:complaint_id}/outcome", response=ComplaintOut)
def complaint_outcome(
    request: HttpRequest, pk: int, complaint_id: int, body: ComplaintOutcomeIn
) -> Any:
    complaint = selectors.complaints_of(_case(request, pk)).filter(pk=complaint_id).first()
    if complaint is None:
        raise NotFoundError("not_found", _("There is no such complaint."))
    return complaints.record_complaint_outcome(complaint, actor=request.user, **body.dict())  # type: ignore[arg-type]


@router.post("/{int:pk}/result/{step}", response=ApplicationOut)
def result_step(request: HttpRequest, pk: int, step: str) -> Any:
    """R-SVC-13: ``collected``, ``request`` (asked for again), ``resent``."""
    app = _case(request, pk)
    actions = {
        "collected": results.record_collected,
        "request": results.request_result_again,
        "resent": results.record_result_resent,
    }
    if step not in actions:
        raise NotFoundError("not_found", _("Unknown step."))
    return actions[step](app, actor=request.user)  # type: ignore[arg-type,operator]
