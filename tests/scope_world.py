"""A seeded world, one person of every role in it, their twins outside it, and a crawler.

Shared by the object-scope matrix (``tests/test_object_scope.py``) and the browser accessibility
sweep (``tests/browser/test_accessibility_sweep.py``). ``seed_demo`` builds the world: one district
(with its officer, social worker and cases), one organization (staff, journal, queue), one
supplier, recipients with cabinets, a specialist's application. Each demo person's *twin* has the
same role but another scope (another district, another organization, another supplier, another
person): whatever the demo person opens that is not public, the twin must not (issue 10 item 1).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.apps import apps
from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, resolve

from qamqor.accounts import services as account_services
from qamqor.accounts.models import LegalRepresentative, RoleAssignment, User
from qamqor.accounts.roles import ROLE_SCOPE, Role, Scope
from qamqor.accounts.selectors import DEMO_EMAIL_DOMAIN
from qamqor.core.models import District

# Not followed by the crawler: other machinery, exports (binary, slow) and leaving the session.
SKIP_PREFIXES = ("/admin/", "/i18n/", "/static/", "/media/", "/api/", "/accounts/logout")
SKIP_SUFFIXES = (".pdf", ".xlsx", ".csv", ".json", ".p12")
TWIN_IIN_BASE = 7_000


class _Links(HTMLParser):
    """Collects the same-site links (``a href``) and form targets (``form action``, method)."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.forms: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")
        elif tag == "form":
            self.forms.append(((values.get("method") or "get").lower(), values.get("action") or ""))


def _local(url: str, base: str) -> str | None:
    parts = urlsplit(url)
    if (parts.scheme or parts.netloc) and parts.netloc not in ("testserver", ""):
        return None
    path = parts.path
    if not path:
        path = urlsplit(base).path
    if not path.startswith("/"):
        return None
    return path


def route_of(path: str) -> str | None:
    """The resolver route (``cases/<int:pk>/`` style, with its prefix) a path resolves to."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.route


@dataclass
class Crawl:
    """What one persona reached: pages (GET 200 HTML) and POST form targets, by route."""

    pages: dict[str, list[str]] = field(default_factory=dict)
    posts: dict[str, list[str]] = field(default_factory=dict)
    files: dict[str, list[str]] = field(default_factory=dict)  # linked downloads, not fetched
    statuses: dict[str, int] = field(default_factory=dict)

    def all_pages(self) -> Iterator[str]:
        for paths in self.pages.values():
            yield from paths


def crawl(client: Client, start: list[str], *, per_route: int = 3, limit: int = 400) -> Crawl:
    """Breadth-first over the persona's pages from ``start``: GET only, same site, HTML only,
    at most ``per_route`` concrete paths per URL pattern (the rest say nothing new)."""
    result = Crawl()
    queue = list(dict.fromkeys(start))
    seen = set(queue)
    while queue and len(result.statuses) < limit:
        path = queue.pop(0)
        route = route_of(path)
        if route is None:
            continue
        if len(result.pages.get(route, [])) >= per_route:
            continue
        response = client.get(path)
        result.statuses[path] = response.status_code
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        result.pages.setdefault(route, []).append(path)
        parser = _Links()
        parser.feed(response.content.decode("utf-8", "replace"))
        for method, action in parser.forms:
            target = _local(action, path) if action else path
            if method == "post" and target:
                post_route = route_of(target)
                if post_route and target not in result.posts.setdefault(post_route, []):
                    result.posts[post_route].append(target)
        for href in parser.links:
            target = _local(href, path)
            if target is None or target in seen or target.startswith(SKIP_PREFIXES):
                continue
            if target.endswith(SKIP_SUFFIXES):
                file_route = route_of(target)
                if file_route and target not in result.files.setdefault(file_route, []):
                    result.files[file_route].append(target)
                continue
            seen.add(target)
            queue.append(target)
    return result


def start_paths() -> list[str]:
    """Every URL pattern without a parameter (the entry points of a crawl)."""
    from django.urls import URLPattern, URLResolver, get_resolver

    out: list[str] = []

    def walk(resolver: URLResolver, prefix: str) -> None:
        for entry in resolver.url_patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                walk(entry, route)
            elif isinstance(entry, URLPattern) and "<" not in route and "(?" not in route:
                out.append("/" + route.lstrip("^").rstrip("$"))

    walk(get_resolver(), "")
    return [
        p
        for p in out
        if not p.startswith(SKIP_PREFIXES) and not p.endswith(SKIP_SUFFIXES) and "{" not in p
    ]


def ensure_reference_data() -> None:
    """The migrations' reference data (territories, legal terms, calendar, professions): a flush
    after a transactional test elsewhere in the same database may have removed it."""
    from tests.reference_data import reload_migration_reference_data

    reload_migration_reference_data()
    from tests.cabinet.factories import ensure_reference_data as ensure_catalogue

    ensure_catalogue()


def seed_world() -> None:
    ensure_reference_data()
    call_command("seed_demo", verbosity=0)
    _objects_seed_demo_lacks(demo_people())


def _objects_seed_demo_lacks(people: dict[str, User]) -> None:
    """What ``seed_demo`` does not make but a scope check needs an owner for: a state-service
    case in the officer's district with an assessment assigned, a notification, a representation,
    an order from the person's cabinet to the supplier, a queue entry, a specialist's draft."""
    import datetime as dt
    from decimal import Decimal

    from django.utils import timezone

    from qamqor.applications.models import Recipient
    from qamqor.applications.services import cases, intake
    from qamqor.cabinet.models import Measure, Offer, Order, Supplier
    from qamqor.core.history import acting_as
    from qamqor.journal.models import Journal, QueueEntry
    from qamqor.notifications.services import notify
    from qamqor.specialists.models import Application as SpecialistApplication
    from tests.applications.conftest import filing
    from tests.factories import LegalRepresentativeFactory
    from tests.journal.factories import fake_signed
    from tests.specialists.factories import complete_draft

    person = people[Role.RECIPIENT.value]
    officer = people[Role.DISTRICT_OFFICER.value]
    with acting_as(None):
        recipient = Recipient.objects.get(iin=person.iin)
        app = intake.file_application(filing(recipient), actor=officer)
        cases.assign_assessment(app, people[Role.SOCIAL_WORKER.value], actor=officer)
        notify(person, kind="demo", subject="Демо хабарлама", url="/cabinet/")
        representative = people[Role.LEGAL_REPRESENTATIVE.value]
        if not LegalRepresentative.objects.filter(
            representative=representative, represented=person, valid_until=None
        ).exists():
            LegalRepresentativeFactory(representative=representative, represented=person)
        measure = Measure.objects.filter(ipr__person=person).order_by("pk").first()
        supplier = Supplier.objects.get(
            pk=RoleAssignment.objects.filter(user=people[Role.SUPPLIER.value], role="supplier")
            .exclude(supplier=None)
            .values_list("supplier", flat=True)
            .first()
        )
        offer = Offer.objects.filter(supplier=supplier, item=measure.item).first()
        Order.objects.create(
            measure=measure,
            person=person,
            supplier=supplier,
            offer=offer,
            district=measure.ipr.district,
            quantity=1,
            price=offer.price,
            guaranteed_sum=offer.price,
            person_pays=Decimal("0"),
            application=fake_signed(person, {"measure": measure.pk}, "cabinet_order"),
        )
        journal = Journal.objects.order_by("pk").first()
        QueueEntry.objects.create(
            journal=journal,
            person_iin=person.iin,
            full_name=person.get_full_name(),
            user=person,
            registered_at=timezone.now() - dt.timedelta(days=3),
            application=fake_signed(person, {"journal": journal.pk}, "queue_application"),
        )
    applicant = people[Role.APPLICANT_SPECIALIST.value]
    if not SpecialistApplication.objects.filter(applicant=applicant).exists():
        complete_draft(applicant)


def demo_people() -> dict[str, User]:
    """The demo person holding each role (``seed_demo`` gives every role to one person)."""
    people: dict[str, User] = {}
    grants = (
        RoleAssignment.objects.filter(user__email__endswith="@" + DEMO_EMAIL_DOMAIN)
        .select_related("user")
        .order_by("pk")
    )
    for grant in grants:
        people.setdefault(str(grant.role), grant.user)
    missing = {r.value for r in Role} - people.keys()
    assert not missing, f"seed_demo gives no one these roles: {sorted(missing)}"
    return people


def twin_of(role: str, n: int) -> User:
    """A person with ``role`` in another scope than the demo world's (no objects of their own)."""
    from qamqor.cabinet.models import Supplier
    from tests.factories import OrganizationFactory, UserFactory, make_iin

    user = UserFactory(iin=make_iin(TWIN_IIN_BASE + n))
    scope = ROLE_SCOPE[Role(role)]
    kwargs: dict[str, object] = {}
    if scope == Scope.DISTRICT:
        used = RoleAssignment.objects.exclude(district=None).values("district")
        kwargs["district"] = District.objects.exclude(pk__in=used).order_by("pk").first()
    elif scope == Scope.ORGANIZATION:
        kwargs["organization"] = OrganizationFactory()
    elif scope == Scope.SUPPLIER:
        from tests.cabinet.factories import SupplierFactory

        kwargs["supplier"] = SupplierFactory()
        assert Supplier.objects.count() >= 2
    account_services.grant_role(None, user, role, **kwargs)
    return user


def login_client(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def state_fingerprint() -> dict[str, int]:
    """Row counts of every history table and of the domain events: every state change of the
    portal writes at least one of them (STYLE: changes are recorded with actor and time)."""
    counts = {}
    for model in apps.get_models():
        name = model.__name__
        if name.startswith("Historical") or name in {"DomainEvent", "Transition", "QueueEvent"}:
            counts[model._meta.label] = model._default_manager.count()
    return counts


INT_PARAM = re.compile(r"<int:(\w+)>")
