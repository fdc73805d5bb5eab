"""No page's query count grows with the data (issue 9: "a test asserts query counts for each
page"), so N+1 regressions fail the suite.

Every GET page and JSON endpoint of the access matrix (``tests/test_access_matrix.py`` and the
apps' ``access_rows.py``) has an entry in ``PAGES``: who opens it, the path in a world built here,
and a budget of queries. The test builds a small world (one or two rows of every kind a page
lists, in the viewer's scope), counts each page's queries, adds ``GROW`` more rows of every kind
(more than a paginated page holds), counts again and asserts that no count grew and every count
stays within its budget. A URL of the matrix without an entry here (and not POST-only) fails
``test_every_page_has_a_query_budget``: add the page to ``PAGES`` and, if it lists a new kind of
row, make ``World.grow`` add such rows (docs/architecture.md, "Query counts").
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from qamqor.accounts import services as account_services
from qamqor.accounts.roles import Role
from qamqor.applications.services import cases
from qamqor.cabinet.models import OrderTransition
from qamqor.core.audit import record_file_access
from qamqor.core.history import audited_update
from qamqor.organizations.models import OrganizationService
from qamqor.privacy.services import record_consent
from qamqor.specialists.models import Specialist
from tests.applications.conftest import file_on
from tests.applications.factories import RecipientFactory
from tests.cabinet.factories import MeasureFactory, OfferFactory, SupplierFactory, order_of
from tests.factories import (
    DistrictFactory,
    OrganizationServiceFactory,
    PublicOrganizationFactory,
    UserFactory,
)
from tests.journal.factories import admit, file, person_of
from tests.notifications.factories import notification
from tests.specialists import factories as spc
from tests.test_access_matrix import MATRIX

ASTANA = dt.timezone(dt.timedelta(hours=5))
TODAY = dt.datetime(2026, 3, 2, 10, 0, tzinfo=ASTANA)
# More than any page shows at once (the registries and the inbox show 20 a page).
GROW = 22


def _person(role: Role, **scope: Any) -> Any:
    user = UserFactory()
    account_services.grant_role(None, user, role, **scope)
    return user


class World:
    """One district with every kind of row a page lists, each viewer in its scope.

    ``grow(n)`` adds ``n`` more rows of every kind, in the same scopes; the objects the detail
    pages open (``self.app_*``, ``self.stay`` …) stay the same and gain related rows."""

    def __init__(self, test_pki: Any) -> None:
        self.pki = test_pki
        self.district = DistrictFactory()
        self.region = self.district.region
        # Organizations: one public entry with a stationary service in the district.
        self.org = PublicOrganizationFactory(district=self.district)
        self.org_service = OrganizationServiceFactory(organization=self.org, capacity=1)
        # Viewers.
        self.recipient = RecipientFactory(district=self.district)
        self.person = UserFactory(
            iin=self.recipient.iin,
            surname=self.recipient.surname,
            given_name=self.recipient.given_name,
        )
        account_services.grant_role(None, self.person, Role.RECIPIENT)
        self.officer = _person(Role.DISTRICT_OFFICER, district=self.district)
        self.worker = _person(Role.SOCIAL_WORKER, district=self.district)
        self.operator = _person(Role.INTAKE_OPERATOR)
        self.ministry = _person(Role.MINISTRY)
        self.admin = spc.registry_admin()
        self.staff = _person(Role.ORGANIZATION_STAFF, organization=self.org)
        self.supplier = SupplierFactory()
        self.supplier_staff = _person(Role.SUPPLIER, supplier=self.supplier)
        self.applicant = spc.applicant()
        self.users = {
            "anonymous": None,
            "recipient": self.person,
            "officer": self.officer,
            "worker": self.worker,
            "operator": self.operator,
            "ministry": self.ministry,
            "admin": self.admin,
            "staff": self.staff,
            "supplier": self.supplier_staff,
            "applicant": self.applicant,
        }
        self._n = 0
        self._build_fixed_objects()
        self.grow(1)

    # --- the objects detail pages open -------------------------------------------------------
    def _build_fixed_objects(self) -> None:
        # State service: A1 approved and the recipient asked to choose; A2 concluded (the
        # decision pages); A3 with the social worker (the assessment page).
        self.app_1 = self._concluded(self.recipient)
        act = cases.decision_act(self.app_1, "approved")
        cms = self._sign(act, self.officer)
        self.app_1 = cases.approve(self.app_1, actor=self.officer, cms=cms)
        self.app_1 = cases.notify_to_choose(self.app_1, actor=self.officer)
        self.app_2 = self._concluded(RecipientFactory(district=self.district))
        self.app_3 = self._assigned(RecipientFactory(district=self.district))
        # Journal: the organization's journal full with one stay; the recipient queues there
        # (R-QUE-1: a queue only where no place is free).
        self.stay = admit(self.staff, self.org, person_of(UserFactory()))
        self.journal = self.stay.journal
        self.entry = file(self.org, person_of(self.person))
        # Cabinet: the recipient's IPR measure with an offer of the supplier, and an order.
        self.measure = MeasureFactory(ipr__person=self.person, ipr__district=self.district)
        self.ipr = self.measure.ipr
        self.offer = OfferFactory(supplier=self.supplier, regions=[self.region])
        ordered = self._measure()
        self.order = order_of(ordered, self.offer, "reimbursement_requested")
        # Specialists: the applicant's draft, a submitted application, a registered entry.
        self.spc_draft = spc.complete_draft(self.applicant)
        self.spc_attachment = self.spc_draft.attachments.first()
        self.spc_submitted = spc.submitted()
        self.specialist = Specialist.objects.get(application=spc.registered(admin=self.admin))

    def _measure(self) -> Any:
        """A measure of the recipient (one item per IPR: each measure in its own IPR)."""
        return MeasureFactory(ipr__person=self.person, ipr__district=self.district)

    def _sign(self, act: dict[str, Any], signer: Any) -> str:
        from qamqor.accounts.signing import canonical_bytes

        if not getattr(signer, "_pki_issued", False):
            self.pki.issue(signer.iin, signer.surname, signer.given_name)
            signer._pki_issued = True
        return base64.b64encode(
            self.pki.sign(canonical_bytes(act), iin=signer.iin, kind="sign")
        ).decode()

    def _filed(self, recipient: Any) -> Any:
        return file_on(TODAY - dt.timedelta(days=14), self.officer, recipient)

    def _assigned(self, recipient: Any) -> Any:
        return cases.assign_assessment(self._filed(recipient), self.worker, actor=self.officer)

    def _concluded(self, recipient: Any) -> Any:
        return cases.record_conclusion(
            self._assigned(recipient), actor=self.worker, needs_services=True, findings="Күтім"
        )

    # --- more rows of every kind -------------------------------------------------------------
    def grow(self, n: int) -> None:
        # The staff's journal: n more stays, then n more people waiting. One place is kept for
        # the head of the queue, so the journal is full again before anyone queues (R-QUE-1).
        audited_update(
            OrganizationService.objects.filter(pk=self.org_service.pk),
            capacity=self.org_service.capacity + n + 1,
        )
        self.org_service.capacity += n + 1
        for _ in range(n):
            admit(self.staff, self.org, person_of(UserFactory()))
        for _ in range(n):
            file(self.org, person_of(UserFactory()))
        for _ in range(n):
            self._n += 1
            i = self._n
            # Registry of organizations: public entries with services, in the district.
            other = PublicOrganizationFactory(district=self.district)
            OrganizationServiceFactory(organization=other, capacity=1)
            OrganizationServiceFactory(organization=other, condition="semi_stationary")
            # Journal: the recipient queues in another (full) organization.
            admit(
                _person(Role.ORGANIZATION_STAFF, organization=other),
                other,
                person_of(UserFactory()),
            )
            file(other, person_of(self.person))
            # State service: cases in the district, one with the social worker; another
            # application of the recipient.
            self._assigned(RecipientFactory(district=self.district))
            self._filed(self.recipient)
            # Cabinet: measures of the recipient, offers, orders to reimburse.
            self._measure()
            OfferFactory(supplier=self.supplier, regions=[self.region])
            order_of(self._measure(), self.offer, "reimbursement_requested")
            OrderTransition.objects.create(
                order=self.order, from_status="ordered", to_status="ordered", actor=self.person
            )
            # Inbox of every viewer.
            for user in self.users.values():
                if user is not None:
                    notification(user, i)
            # Specialists: a submitted application and a registered entry.
            spc.submitted()
            spc.registered(admin=self.admin)
            # Privacy: staff read the recipient's file; the recipient's consents change.
            record_file_access(
                self.officer if i % 2 else self.staff,
                self.recipient.iin,
                self.app_1,
                purpose="case",
                path=f"/applications/cases/{self.app_1.pk}/",
            )
            record_consent(
                self.person.iin,
                "relatives_data",
                given=bool(i % 2),
                actor=self.person,
                channel="portal",
            )


Path = str | Callable[[World], str]


@dataclass(frozen=True)
class Page:
    viewer: str  # a key of World.users
    path: Path
    budget: int  # most queries the page may make (on SQLite and PostgreSQL)


def _p(template: str, attr: str) -> Callable[[World], str]:
    def path(world: World) -> str:
        obj = world
        for name in attr.split("."):
            obj = getattr(obj, name)
        return template.format(obj.pk)  # type: ignore[attr-defined]

    return path


# Matrix path → the viewer who gets 200, the real path and the budget.
PAGES: dict[str, Page] = {
    # core, accounts, bench
    "/": Page("recipient", "/", 8),
    "/calendar/": Page("anonymous", "/calendar/", 7),
    "/accounts/login/": Page("anonymous", "/accounts/login/", 6),
    "/accounts/login/esign/": Page("anonymous", "/accounts/login/esign/", 7),
    "/accounts/sign-demo/": Page("recipient", "/accounts/sign-demo/", 9),
    "/accounts/otp/": Page("anonymous", "/accounts/otp/", 6),
    "/accounts/representation/": Page("recipient", "/accounts/representation/", 10),
    "/accounts/representation/register/": Page("officer", "/accounts/representation/register/", 9),
    "/bench/floor/1": Page("anonymous", "/bench/floor/1", 7),
    "/health": Page("anonymous", "/health", 7),
    "/api/v1/core/regions": Page("anonymous", "/api/v1/core/regions", 7),
    "/api/v1/core/districts": Page("anonymous", "/api/v1/core/districts", 7),
    "/api/v1/openapi.json": Page("anonymous", "/api/v1/openapi.json", 6),
    "/api/v1/docs": Page("anonymous", "/api/v1/docs", 6),
    # registry of organizations
    "/organizations/": Page("anonymous", "/organizations/", 10),
    "/organizations/1/": Page("anonymous", _p("/organizations/{}/", "org"), 8),
    "/organizations/export.csv": Page("anonymous", "/organizations/export.csv", 9),
    "/organizations/export.xlsx": Page("anonymous", "/organizations/export.xlsx", 9),
    "/organizations/export.pdf": Page("anonymous", "/organizations/export.pdf", 10),
    "/organizations/export.json": Page("anonymous", "/organizations/export.json", 9),
    "/organizations/staff/": Page("ministry", "/organizations/staff/", 13),
    "/organizations/staff/1/": Page("staff", _p("/organizations/staff/{}/", "org"), 12),
    "/organizations/staff/export.csv": Page("ministry", "/organizations/staff/export.csv", 11),
    "/organizations/staff/export.xlsx": Page("ministry", "/organizations/staff/export.xlsx", 11),
    "/organizations/staff/export.pdf": Page("ministry", "/organizations/staff/export.pdf", 12),
    "/api/v1/organizations": Page("anonymous", "/api/v1/organizations", 9),
    "/api/v1/organizations/1": Page("anonymous", _p("/api/v1/organizations/{}", "org"), 8),
    # state service
    "/applications/": Page("recipient", "/applications/", 9),
    "/applications/apply/": Page("recipient", "/applications/apply/", 9),
    "/applications/my/1/": Page("recipient", _p("/applications/my/{}/", "app_1"), 10),
    "/applications/my/1/choose/": Page("recipient", _p("/applications/my/{}/choose/", "app_1"), 10),
    "/applications/my/1/receipt.pdf": Page(
        "recipient", _p("/applications/my/{}/receipt.pdf", "app_1"), 10
    ),
    "/applications/my/1/result.pdf": Page(
        "recipient", _p("/applications/my/{}/result.pdf", "app_1"), 9
    ),
    "/applications/cases/": Page("officer", "/applications/cases/", 11),
    "/applications/cases/new/": Page("officer", "/applications/cases/new/", 9),
    "/applications/cases/1/": Page("officer", _p("/applications/cases/{}/", "app_1"), 13),
    "/applications/cases/1/approve/": Page(
        "officer", _p("/applications/cases/{}/approve/", "app_2"), 10
    ),
    "/applications/cases/1/refuse/": Page(
        "officer", _p("/applications/cases/{}/refuse/", "app_2"), 10
    ),
    "/applications/assessments/": Page("worker", "/applications/assessments/", 10),
    "/applications/assessments/1/": Page(
        "worker", _p("/applications/assessments/{}/", "app_3"), 12
    ),
    "/applications/dashboard/": Page("officer", "/applications/dashboard/", 12),
    "/api/v1/applications": Page("officer", "/api/v1/applications", 9),
    "/api/v1/applications/1": Page("officer", _p("/api/v1/applications/{}", "app_1"), 10),
    "/api/v1/applications/1/decision-act": Page(
        "officer", _p("/api/v1/applications/{}/decision-act?decision=approve", "app_2"), 9
    ),
    "/api/v1/applications/events": Page("officer", "/api/v1/applications/events", 9),
    "/api/v1/applications/dashboard": Page("officer", "/api/v1/applications/dashboard", 11),
    # journal
    "/journal/": Page("ministry", "/journal/", 12),
    "/journal/1/": Page("staff", _p("/journal/{}/", "journal"), 19),
    "/journal/1/admit/": Page("staff", _p("/journal/{}/admit/", "journal"), 10),
    "/journal/1/verify/": Page("staff", _p("/journal/{}/verify/", "journal"), 12),
    "/journal/1/export.xlsx": Page("staff", _p("/journal/{}/export.xlsx", "journal"), 13),
    "/journal/1/export.pdf": Page("staff", _p("/journal/{}/export.pdf", "journal"), 13),
    "/journal/stays/1/move/": Page("staff", _p("/journal/stays/{}/move/", "stay"), 13),
    "/journal/my/": Page("recipient", "/journal/my/", 11),
    "/journal/my/1/postpone/": Page("recipient", _p("/journal/my/{}/postpone/", "entry"), 9),
    "/journal/apply/1/": Page("recipient", _p("/journal/apply/{}/", "org"), 10),
    "/journal/organizations/1/": Page("anonymous", _p("/journal/organizations/{}/", "org"), 10),
    "/api/v1/journal/organizations/1/counts": Page(
        "anonymous", _p("/api/v1/journal/organizations/{}/counts", "org"), 10
    ),
    "/api/v1/journal/queue/application-act": Page(
        "recipient",
        lambda w: (
            f"/api/v1/journal/queue/application-act?organization={w.org.pk}&condition=stationary"
        ),
        9,
    ),
    "/api/v1/journal/queue/mine": Page("recipient", "/api/v1/journal/queue/mine", 10),
    "/api/v1/journal/queue/1/position": Page(
        "recipient", _p("/api/v1/journal/queue/{}/position", "entry"), 10
    ),
    # cabinet
    "/cabinet/": Page("recipient", "/cabinet/", 23),
    # privacy: the person's access report, consents and export (issue 10 item 4)
    "/privacy/": Page("recipient", "/privacy/", 30),
    "/privacy/my-data.json": Page("recipient", "/privacy/my-data.json", 60),
    "/api/v1/privacy/access-log": Page("recipient", "/api/v1/privacy/access-log", 30),
    "/api/v1/privacy/consents": Page("recipient", "/api/v1/privacy/consents", 30),
    "/api/v1/privacy/export": Page("recipient", "/api/v1/privacy/export", 60),
    "/cabinet/catalogue/": Page("recipient", "/cabinet/catalogue/", 10),
    "/cabinet/measures/1/": Page("recipient", _p("/cabinet/measures/{}/", "measure"), 10),
    "/cabinet/measures/1/order/": Page(
        "recipient",
        lambda w: f"/cabinet/measures/{w.measure.pk}/order/?offer={w.offer.pk}",
        10,
    ),
    "/cabinet/orders/1/": Page("recipient", _p("/cabinet/orders/{}/", "order"), 12),
    "/cabinet/supplier/": Page("supplier", "/cabinet/supplier/", 13),
    "/cabinet/supplier/offers/new/": Page("supplier", "/cabinet/supplier/offers/new/", 12),
    "/cabinet/supplier/orders/1/": Page(
        "supplier", _p("/cabinet/supplier/orders/{}/", "order"), 12
    ),
    "/cabinet/reimbursements/": Page("officer", "/cabinet/reimbursements/", 10),
    "/cabinet/reimbursements/1/": Page("officer", _p("/cabinet/reimbursements/{}/", "order"), 12),
    "/api/v1/cabinet": Page("recipient", "/api/v1/cabinet", 9),
    "/api/v1/cabinet/measures/1/offers": Page(
        "recipient", _p("/api/v1/cabinet/measures/{}/offers", "measure"), 9
    ),
    "/api/v1/cabinet/measures/1/act": Page(
        "recipient",
        lambda w: f"/api/v1/cabinet/measures/{w.measure.pk}/act?offer={w.offer.pk}",
        9,
    ),
    "/api/v1/cabinet/orders/1": Page("recipient", _p("/api/v1/cabinet/orders/{}", "order"), 9),
    "/api/v1/suppliers/offers": Page("anonymous", "/api/v1/suppliers/offers", 8),
    "/api/v1/suppliers/orders": Page("supplier", "/api/v1/suppliers/orders", 10),
    # inbox
    "/notifications/": Page("recipient", "/notifications/", 11),
    "/api/v1/notifications": Page("recipient", "/api/v1/notifications", 9),
    # registry of specialists
    "/specialists/": Page("anonymous", "/specialists/", 10),
    "/specialists/1/": Page("anonymous", _p("/specialists/{}/", "specialist"), 7),
    "/specialists/export.csv": Page("anonymous", "/specialists/export.csv", 9),
    "/specialists/export.xlsx": Page("anonymous", "/specialists/export.xlsx", 9),
    "/specialists/export.pdf": Page("anonymous", "/specialists/export.pdf", 10),
    "/specialists/apply/": Page("applicant", "/specialists/apply/", 11),
    "/specialists/applications/1/": Page(
        "applicant", _p("/specialists/applications/{}/", "spc_draft"), 13
    ),
    **{
        f"/specialists/applications/1/{step}/": Page(
            "applicant", _p(f"/specialists/applications/{{}}/{step}/", "spc_draft"), 10
        )
        for step in ("personal", "profession", "education", "employment", "documents")
    },
    "/specialists/files/1/": Page("applicant", _p("/specialists/files/{}/", "spc_attachment"), 9),
    "/specialists/review/": Page("admin", "/specialists/review/", 15),
    "/specialists/review/1/": Page("admin", _p("/specialists/review/{}/", "spc_submitted"), 13),
    "/api/v1/specialists": Page("anonymous", "/api/v1/specialists", 8),
    "/api/v1/specialists/1": Page("anonymous", _p("/api/v1/specialists/{}", "specialist"), 7),
}

# Rows of the matrix that are not pages to count, with the reason (POST-only rows, where every
# persona gets 405, are left out without a word).
NOT_PAGES = {
    "/accounts/login/esign/dev-sign/": "development signer: 404 unless DEBUG",
    "/accounts/otp/verify/": "redirects back to otp/ until a code is requested",
    "/applications/apply/sign/": "redirects without a draft; the draft lives in the session",
    "/api/v1/": "django-ninja's root pattern: nothing there",
    "/api/docs": "a redirect to /api/v1/docs",
    "/privacy/consents/<slug:kind>/withdraw/": "POST only (the literal converter does not match)",
    "/privacy/consents/<slug:kind>/give/": "POST only (the literal converter does not match)",
    "/api/v1/applications/1/complaints/<int:complaint_id>/outcome": "POST only (the literal "
    "converter does not match in the matrix)",
}


def test_every_page_has_a_query_budget() -> None:
    """A new page (a row of the access matrix) fails here until it is added to PAGES."""
    pages = {
        path
        for path, row in MATRIX.items()
        if set(row.values()) != {405} and not (set(row.values()) <= {302, 405})
    }
    missing = sorted(pages - PAGES.keys() - NOT_PAGES.keys())
    stale = sorted((PAGES.keys() | NOT_PAGES.keys()) - MATRIX.keys())
    assert missing == [], f"add these pages to PAGES in tests/test_query_counts.py: {missing}"
    assert stale == [], f"no longer in the access matrix: {stale}"


def _count(client: Client, path: str) -> tuple[int, int, list[str], int]:
    cache.clear()  # a cached page would hide its queries
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
        # Exports stream: their queries run while the body is read (the test client closes
        # the response at the end of the stream).
        body = b"".join(response.streaming_content) if response.streaming else response.content
    size = len(body)
    return response.status_code, len(ctx.captured_queries), [q["sql"] for q in ctx], size


@pytest.fixture
def _private_files(settings: Any, tmp_path: Any) -> None:
    """Specialists' attachments go to a temporary private directory."""
    from django.utils.functional import empty

    from qamqor.specialists.models import private_storage

    settings.SPECIALISTS_PRIVATE_ROOT = tmp_path / "private"
    private_storage._wrapped = empty


@pytest.mark.django_db
@pytest.mark.usefixtures("esign_settings", "_private_files")
def test_no_page_s_query_count_grows_with_the_data(test_pki: Any) -> None:
    """Issue 9: each page's queries are counted in a small world and again after GROW more rows
    of every kind; the count must not grow and must stay within the page's budget."""
    with time_machine.travel(TODAY, tick=True):
        world = World(test_pki)
        clients: dict[str, Client] = {}
        for key, user in world.users.items():
            clients[key] = Client()
            if user is not None:
                clients[key].force_login(user)

        def measure() -> dict[str, tuple[int, int, list[str], int]]:
            out = {}
            for key, page in PAGES.items():
                path = page.path(world) if callable(page.path) else page.path
                # The first request refreshes what a process keeps of reference data (the
                # calendar checks its copy every few seconds): the second one is counted.
                _count(clients[page.viewer], path)
                out[key] = _count(clients[page.viewer], path)
            return out

        measure()  # once through: sessions the pages start (the e-signature nonce) exist after
        small = measure()
        world.grow(GROW)
        large = measure()

    problems = []
    for key, page in PAGES.items():
        (status_s, n_s, _, size_s), (status_l, n_l, sql, size_l) = small[key], large[key]
        print(f"{key}: {n_s} → {n_l} queries (budget {page.budget}), {size_s} → {size_l} bytes")
        if status_s != 200 or status_l != 200:
            problems.append(f"{key}: status {status_s}/{status_l}")
        elif n_l > n_s:
            extra = list(sql)
            for q in small[key][2]:
                if q in extra:
                    extra.remove(q)
            problems.append(f"{key}: {n_s} → {n_l} queries after {GROW} more rows: {extra[:3]}")
        elif n_l > page.budget:
            problems.append(f"{key}: {n_l} queries, budget {page.budget}")
    assert problems == [], "\n".join(problems)
