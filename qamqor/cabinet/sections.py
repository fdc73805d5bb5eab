"""The personal cabinet is assembled from sections (R-POR-2). ``SECTION_PROVIDERS`` is the one
place that lists them: dotted paths to functions ``(request, person) -> Section | None``. Each
provider reads through its own app's selectors, renders its own small template and returns None
when it has nothing to say to this person (so an elderly person without an IPR sees no empty
IPR box). Other apps add theirs by appending a line here (docs/cabinet.md, "Adding a section").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from qamqor.accounts.models import User
from qamqor.cabinet import selectors
from qamqor.cabinet.models import (
    CatalogueItem,
    Ipr,
    Measure,
    MeasureStatus,
    Offer,
    Order,
    OrderStatus,
    RecommendedService,
    SocialPackageItem,
    Supplier,
)
from qamqor.cabinet.services.orders import days_left
from qamqor.core import freshness
from qamqor.core.freshness import PERSON, USER, counted, latest, watching

SECTION_PROVIDERS: list[str] = [
    "qamqor.cabinet.sections.ipr_measures",
    "qamqor.cabinet.sections.supplier_offers",
    "qamqor.cabinet.sections.orders",
    "qamqor.cabinet.sections.reimbursement",
    "qamqor.cabinet.sections.elderly_services",
    "qamqor.cabinet.sections.social_package",
    "qamqor.cabinet.sections.notifications",
    # The state service (applications, their stage and due date, results) and the journal
    # (queue positions, offers of a place).
    "qamqor.applications.cabinet.applications_section",
    "qamqor.journal.cabinet.queue_section",
    # Consents, who saw my data, download my data (R-X-5, docs/privacy.md).
    "qamqor.privacy.cabinet.privacy_section",
]


@dataclass
class Section:
    """One box of the cabinet: ``template`` renders ``context``; ``order`` sorts the page (lower
    first); ``actions`` are the plain sentences of "what to do next" this section asks for."""

    key: str
    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 100
    actions: list[str] = field(default_factory=list)


Provider = Callable[[HttpRequest, User], "Section | None"]


@cache
def _provider(path: str) -> Provider:
    return import_string(path)  # type: ignore[no-any-return]


def rendered_sections(request: HttpRequest, person: User) -> list[dict[str, Any]]:
    """Every section that has something for ``person``, rendered for the page
    (``render_section``), in page order. The sections whose provider is ``@watching`` come from
    the cache while nothing they watch changed (issue 9, ``qamqor.core.freshness``); the others
    are rendered on every view."""
    watched = [p for p in SECTION_PROVIDERS if hasattr(_provider(p), "watches")]
    live = [_provider(p) for p in SECTION_PROVIDERS if p not in watched]
    out = cached_sections(watched, [_provider(p) for p in watched], request, person)
    out = out + [render_section(s) for s in (p(request, person) for p in live) if s]
    return sorted(out, key=lambda s: (s["order"], s["key"]))


def _memo(request: HttpRequest, key: str, read: Callable[[], Any]) -> Any:
    """What several sections of one cabinet page read, read once per request (issue 9)."""
    memo: dict[str, Any] = request.__dict__.setdefault("_cabinet_reads", {})
    if key not in memo:
        memo[key] = read()
    return memo[key]


def _measures(request: HttpRequest, person: User) -> list[Any]:
    return _memo(request, f"measures:{person.pk}", lambda: list(selectors.measures_of(person)))


def _latest_orders(request: HttpRequest, person: User) -> list[Any]:
    return _memo(
        request,
        f"orders:{person.pk}",
        lambda: list(selectors.orders_of(person).order_by("-created_at")[:20]),
    )


# --- The cabinet app's own sections -------------------------------------------------------------


def _measure_watches() -> list[Any]:
    """The person's measures and IPRs (status, term, quantity) and the catalogue's names."""
    return [
        latest(Measure.history.filter(ipr__person_id=PERSON)),
        latest(Ipr.history.filter(person_id=PERSON)),
        latest(CatalogueItem.history.all()),
    ]


@watching(_measure_watches)
def ipr_measures(request: HttpRequest, person: User) -> Section | None:
    """R-POR-2: the IPR measures with their status and, while the choice is open, the days
    left (R-POR-4)."""
    today = timezone.localdate()
    measures = _measures(request, person)
    if not measures:
        return None
    rows = [(m, days_left(m, today)) for m in measures]
    waiting = [m for m in measures if m.status == MeasureStatus.AWAITING_CHOICE]
    actions = [
        _("Choose a supplier for “%(item)s” by %(date)s.")
        % {"item": m.item.name, "date": m.choice_until.strftime("%d.%m.%Y")}
        for m in waiting
        if m.choice_until
    ]
    return Section(
        "ipr_measures",
        _("Your rehabilitation programme (IPR)"),
        "cabinet/sections/ipr_measures.html",
        {"rows": rows},
        order=10,
        actions=actions,
    )


def _offer_watches() -> list[Any]:
    """The measures awaiting a choice, and every offer and supplier (an offer's regions are set
    in the transaction that creates it, with its first history row)."""
    return [
        *_measure_watches(),
        latest(Offer.history.all()),
        latest(Supplier.history.all()),
    ]


@watching(_offer_watches)
def supplier_offers(request: HttpRequest, person: User) -> Section | None:
    """Issue item 3: the suppliers' offers for the measures still awaiting a choice, in the
    person's region."""
    measures = _measures(request, person)
    if not any(m.status == MeasureStatus.AWAITING_CHOICE for m in measures):
        return None
    offers = list(selectors.offers_for_measures(measures)[:10])
    if not offers:
        return None
    return Section(
        "supplier_offers",
        _("Suppliers' offers for your measures"),
        "cabinet/sections/supplier_offers.html",
        {"offers": offers},
        order=20,
    )


def _order_watches() -> list[Any]:
    return [
        latest(Order.history.filter(person_id=PERSON)),
        latest(Supplier.history.all()),
        latest(CatalogueItem.history.all()),
    ]


@watching(_order_watches)
def orders(request: HttpRequest, person: User) -> Section | None:
    """R-POR-5: the orders and their current step; a delivery to confirm is an action."""
    rows = _latest_orders(request, person)
    if not rows:
        return None
    actions = [
        _("Confirm that you received order No. %(number)s.") % {"number": o.pk}
        for o in rows
        if o.status == OrderStatus.HANDED_OVER
    ]
    return Section(
        "orders", _("Your orders"), "cabinet/sections/orders.html", {"orders": rows}, 30, actions
    )


@watching(_order_watches)
def reimbursement(request: HttpRequest, person: User) -> Section | None:
    """R-POR-5: the reimbursement requests and the local executive body's decisions."""
    if not _latest_orders(request, person):
        return None  # no order at all (read once for this section and the orders')
    done = (OrderStatus.REIMBURSEMENT_REQUESTED, OrderStatus.PAID, OrderStatus.REJECTED)
    rows = list(selectors.orders_of(person).filter(status__in=done).order_by("-updated_at")[:20])
    if not rows:
        return None
    return Section(
        "reimbursement",
        _("Reimbursement of the guaranteed sum"),
        "cabinet/sections/reimbursement.html",
        {"orders": rows},
        order=40,
    )


@watching(lambda: [latest(RecommendedService.history.filter(person_id=PERSON))])
def elderly_services(request: HttpRequest, person: User) -> Section | None:
    """R-POR-2: special social services recommended to an elderly person, with statuses."""
    rows = list(selectors.recommended_services_of(person))
    if not rows:
        return None
    return Section(
        "elderly_services",
        _("Recommended special social services"),
        "cabinet/sections/elderly_services.html",
        {"services": rows},
        order=50,
    )


@watching(lambda: [latest(SocialPackageItem.history.filter(person_id=PERSON))])
def social_package(request: HttpRequest, person: User) -> Section | None:
    """R-POR-2: the guaranteed social package: kinds, volumes and statuses."""
    rows = list(selectors.social_package_of(person))
    if not rows:
        return None
    return Section(
        "social_package",
        _("Guaranteed social package"),
        "cabinet/sections/social_package.html",
        {"items": rows},
        order=60,
    )


def _inbox_watches() -> list[Any]:
    """The viewer's inbox (not audited: a message is only added, or read)."""
    from qamqor.notifications.models import Notification

    mine = Notification.objects.filter(recipient_id=USER)
    return [latest(mine, "id"), counted(mine.filter(read_at__isnull=True))]


@watching(_inbox_watches)
def notifications(request: HttpRequest, person: User) -> Section | None:
    """Issue item 5: the inbox summary. The inbox is the logged-in user's own: a representative
    acting for someone sees their own inbox, where the person's messages are not."""
    from qamqor.notifications import selectors as inbox

    user: User = request.user  # type: ignore[assignment]
    latest = list(inbox.inbox_for(user)[:3])
    return Section(
        "notifications",
        _("Notifications"),
        "cabinet/sections/notifications.html",
        {"latest": latest, "unread": inbox.unread_count_of_request(request)},
        order=90,
    )


# --- Rendering and caching (issue 9, qamqor.core.freshness) ------------------------------


def render_section(section: Section) -> dict[str, Any]:
    """A section as the page shows it: its own template rendered with its context alone (no
    request: nothing personal beyond the context may reach the cache)."""
    return {
        "key": section.key,
        "title": str(section.title),
        "order": section.order,
        "actions": [str(a) for a in section.actions],
        "html": render_to_string(section.template, {"c": section.context}),
    }


def cached_sections(
    paths: list[str], providers: list[Any], request: Any, person: Any
) -> list[dict[str, Any]]:
    """The rendered sections of the watched ``providers`` for this view, each from the cache
    while nothing it watches changed since it was rendered."""
    if not providers:
        return []

    def render(provider: Any) -> Callable[[], dict[str, Any] | None]:
        def one() -> dict[str, Any] | None:
            section = provider(request, person)
            return render_section(section) if section is not None else None

        return one

    parts = [(path, p.watches, render(p)) for path, p in zip(paths, providers, strict=True)]
    found = freshness.cached_each("sections:" + ",".join(paths), parts, request, person)
    return [s for s in found if s is not None]
