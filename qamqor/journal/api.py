"""The journal API under /api/v1/journal (issue 7 item 6): movements, queue applications,
offers, postponements, positions. Staff routes are organization-scoped through the selectors'
chokepoints; signed acts (R-QUE-2, R-QUE-5) carry the CMS over the act the server builds
(``GET …/queue/application-act`` shows it)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.security import django_auth

from qamqor.accounts import signing
from qamqor.accounts.permissions import require
from qamqor.accounts.representation import act_parties
from qamqor.core import freshness
from qamqor.core.errors import DomainError
from qamqor.journal import selectors, services
from qamqor.journal.models import MovementKind, QueueEntry, Stay
from qamqor.journal.schemas import (
    ActOut,
    AdmissionIn,
    CountsOut,
    EntryOut,
    MovementIn,
    OfferIn,
    OrderIn,
    PositionOut,
    PostponementIn,
    QueueApplicationIn,
    StayOut,
)
from qamqor.journal.services import PersonData
from qamqor.organizations import selectors as org_selectors
from qamqor.organizations.models import ServiceCondition

router = Router(tags=["electronic journal and queue"])


def _position(entry: QueueEntry, p: selectors.Position | None = None) -> dict[str, Any]:
    p = p or selectors.position_of(entry)
    return {
        "entry": entry,
        "position": p.position,
        "ahead": p.ahead,
        "wait_days": p.estimate.days if p.estimate else None,
        "places_freed": p.estimate.places_freed if p.estimate else None,
        "window_days": p.estimate.window_days if p.estimate else None,
    }


@router.get("/organizations/{int:pk}/counts", response=list[CountsOut], auth=None)
def counts(request: HttpRequest, pk: int) -> Any:
    """Public counts per condition: capacity, occupied, offered, vacancies, queue."""
    org = org_selectors.get_public_organization(pk)
    return [c.__dict__ for c in selectors.organization_counts(org.pk)]


def _staff(request: HttpRequest) -> Any:
    require(request.user, "journal.view_journal")
    return request.user


@router.post("/journals/{int:pk}/admissions", response={201: StayOut}, auth=django_auth)
def post_admission(request: HttpRequest, pk: int, body: AdmissionIn) -> Any:
    """R-JRN-1 admission (R-JRN-3 "returned" set by the service)."""
    journal = selectors.get_journal_for(_staff(request), pk, write=True)
    person = PersonData(**body.person.dict(exclude={"iin"}), iin=body.person.iin)
    stay = services.admit(
        request.user,
        journal.organization,
        journal.condition,
        person,
        admitted_on=body.on,
        order_number=body.order_number,
        order_date=body.order_date,
    )
    return Status(201, stay)


@router.post("/stays/{int:pk}/movements", response={200: StayOut}, auth=django_auth)
def post_movement(request: HttpRequest, pk: int, body: MovementIn) -> Stay:
    """R-JRN-1 movements; ``kind=transfer`` with ``target`` returns the new stay there."""
    stay = selectors.get_stay_for(_staff(request), pk, write=True)
    kwargs: dict[str, Any] = {
        "on": body.on,
        "order_number": body.order_number,
        "order_date": body.order_date,
        "reason": body.reason,
    }
    if body.kind == MovementKind.TRANSFER:
        return services.transfer(
            request.user, stay, selectors.transfer_target(body.target), **kwargs
        )
    if body.kind not in MovementKind.values:
        raise DomainError("journal.unknown_movement", _("This value is not valid."), field="kind")
    return services.move(request.user, stay, body.kind, **kwargs)


@router.post("/journals/{int:pk}/offers", response={201: EntryOut}, auth=django_auth)
def post_offer(request: HttpRequest, pk: int, body: OfferIn) -> Any:
    """Offer the free place to the head of the queue (R-QUE-1, R-QUE-4)."""
    journal = selectors.get_journal_for(_staff(request), pk, write=True)
    return Status(201, services.offer_place(request.user, journal, arrive_by=body.arrive_by))


@router.post("/queue/{int:pk}/arrival", response={201: StayOut}, auth=django_auth)
def post_arrival(request: HttpRequest, pk: int, body: OrderIn) -> Any:
    entry = selectors.get_entry_for(_staff(request), pk, write=True)
    stay = services.admit_from_queue(
        request.user,
        entry,
        admitted_on=body.on,
        order_number=body.order_number,
        order_date=body.order_date,
    )
    return Status(201, stay)


def _person(request: HttpRequest) -> tuple[Any, Any, PersonData]:
    signer, on_behalf_of = act_parties(request)
    user = on_behalf_of or signer
    return signer, on_behalf_of, PersonData(iin=user.iin, full_name=user.get_full_name(), user=user)


@router.get("/queue/application-act", response=ActOut, auth=django_auth)
def application_act(request: HttpRequest, organization: int, condition: str) -> Any:
    """R-QUE-2: the exact act to sign (canonical JSON) for a queue application."""
    org = org_selectors.get_public_organization(organization)
    if condition not in ServiceCondition.values:
        raise DomainError("queue.condition", _("This value is not valid."), field="condition")
    *_unused, person = _person(request)
    act = services.queue_application_act(org, condition, person)
    return {"act": act, "content": signing.canonical_bytes(act).decode()}


@router.post("/queue/applications", response={201: PositionOut}, auth=django_auth)
def post_application(request: HttpRequest, body: QueueApplicationIn) -> Any:
    """R-QUE-2: the queue application signed with the e-signature."""
    org = org_selectors.get_public_organization(body.organization)
    signer, on_behalf_of, person = _person(request)
    act = services.queue_application_act(org, body.condition, person)
    document = signing.record_signed_document(
        kind=services.queue.QUEUE_APPLICATION,
        content=signing.canonical_bytes(act),
        cms=body.cms,
        signed_by=signer,
        on_behalf_of=on_behalf_of,
    )
    entry = services.file_queue_application(
        org, body.condition, person, application=document, actor=signer
    )
    return Status(201, _position(entry))


@router.get("/queue/mine", response=list[PositionOut], auth=django_auth)
def my_positions(request: HttpRequest) -> Any:
    """R-QUE-1 transparency: my applications with position, number ahead and wait estimate."""
    *_unused, person = _person(request)

    def rows() -> list[dict[str, Any]]:
        return [_position(p.entry, p) for p in selectors.my_positions(person.user)]

    # Issue 9: cached per person and viewer, checked on every request (core.freshness), like the
    # page; the rows keep their entries, so the answer is serialised exactly as before.
    return freshness.cached(
        "journal.api.my_positions", selectors.position_watches, request, person.user, rows
    )


@router.get("/queue/{int:pk}/position", response=PositionOut, auth=django_auth)
def my_position(request: HttpRequest, pk: int) -> Any:
    *_unused, person = _person(request)
    return _position(selectors.get_my_entry(person.user, pk))


@router.post("/queue/{int:pk}/postponement", response=EntryOut, auth=django_auth)
def post_postponement(request: HttpRequest, pk: int, body: PostponementIn) -> Any:
    """R-QUE-5: one postponement, signed notification (CMS over ``postponement_act``)."""
    signer, on_behalf_of, person = _person(request)
    entry = selectors.get_my_entry(person.user, pk)
    act = services.postponement_act(entry, body.new_date, body.reason)
    document = signing.record_signed_document(
        kind=services.queue.POSTPONEMENT,
        content=signing.canonical_bytes(act),
        cms=body.cms,
        signed_by=signer,
        on_behalf_of=on_behalf_of,
    )
    return services.postpone_arrival(
        entry, body.new_date, body.reason, notification=document, actor=signer
    )
