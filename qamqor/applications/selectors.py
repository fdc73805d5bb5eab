"""Reads of the state service: scoped querysets (the chokepoints ``get_case_for``), the
monitoring dashboard and the event feed (R-SVC-12)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone, translation

from qamqor.accounts.permissions import can, district_ids, grants_of
from qamqor.accounts.roles import Role
from qamqor.applications.models import Application, Complaint, Recipient, Transition
from qamqor.applications.workflow import OPEN
from qamqor.core.calendar import add_working_days
from qamqor.core.models import District


def cases_for(user: Any) -> QuerySet[Application]:
    """The cases ``user`` may see as staff: the ministry all, a district officer those of their
    districts, a social worker those assigned to them; nothing for anyone else."""
    qs = Application.objects.select_related("recipient", "district")
    if getattr(user, "is_superuser", False) or Role.MINISTRY.value in grants_of(user).roles:
        return qs
    query = Q(pk__in=[])
    districts = district_ids(user, Role.DISTRICT_OFFICER)
    if districts:
        query |= Q(district_id__in=districts)
    if Role.SOCIAL_WORKER.value in grants_of(user).roles:
        query |= Q(social_worker=user)
    return qs.filter(query)


def my_applications(user: Any) -> QuerySet[Application]:
    """The recipient's own applications and those they filed for a represented person."""
    if not getattr(user, "is_authenticated", False):
        return Application.objects.none()
    # Issue 9: the recipient's key first (IIN is unique), then a filter on two indexed columns
    # of the applications: PostgreSQL combines both indexes (BitmapOr). With the join in the OR
    # (recipient__iin=…) it scanned every application: 1.9 s over 1,000,000 rows.
    recipient = list(Recipient.objects.filter(iin=user.iin).values_list("pk", flat=True)[:1])
    return Application.objects.select_related("recipient", "district").filter(
        Q(recipient_id__in=recipient) | Q(filed_by=user, on_behalf_of__isnull=False)
    )


def get_case_for(user: Any, pk: int, *, perm: str = "applications.view_case") -> Application:
    """Chokepoint: the application ``pk`` if ``user`` has ``perm`` on it, else 404."""
    app = (
        Application.objects.select_related(
            "recipient",
            "district",
            "social_worker",
            "responsible_officer",
            "chosen_organization",
            "result_document",
        )
        .filter(pk=pk)
        .first()
    )
    if app is None or not can(user, perm, app):
        raise Http404
    return app


def transitions_of(app: Application) -> QuerySet[Transition]:
    return app.transitions.select_related("actor").order_by("id")


def complaints_of(app: Application) -> QuerySet[Complaint]:
    return app.complaints.order_by("id")


def recipient_by_iin(iin: str) -> Recipient | None:
    return Recipient.objects.filter(iin=iin).first()


def assessments_for(worker: Any) -> QuerySet[Application]:
    """The social worker's workspace: assigned cases, the open ones first by due date."""
    return (
        Application.objects.select_related("recipient", "district")
        .filter(social_worker=worker)
        .order_by("concluded_on", "current_due", "id")
    )


# --- Monitoring (R-SVC-12) ----------------------------------------------------------------------

BUCKETS = ("due_today", "due_soon", "overdue")


@dataclass(frozen=True)
class Window:
    today: dt.date
    soon_until: dt.date  # the 2nd working day after today

    @classmethod
    def on(cls, today: dt.date | None = None) -> Window:
        today = today or timezone.localdate()
        return cls(today=today, soon_until=add_working_days(today, 2))


def bucket_filter(bucket: str, window: Window) -> Q:
    if bucket == "due_today":
        return Q(current_due=window.today)
    if bucket == "due_soon":
        return Q(current_due__gt=window.today, current_due__lte=window.soon_until)
    if bucket == "overdue":
        return Q(current_due__lt=window.today)
    return Q()


def open_cases_for(user: Any) -> QuerySet[Application]:
    return cases_for(user).filter(status__in=[str(s) for s in OPEN])


def dashboard(user: Any, *, today: dt.date | None = None) -> dict[str, Any]:
    """Open cases by stage, due today, due in 1–2 working days, overdue, and by district: one
    grouped scan (district × stage, an index-only scan of ``applications_open_due``), summed
    here."""
    window = Window.on(today)
    rows = list(
        open_cases_for(user)
        .order_by()
        .values("district", "status")
        .annotate(
            total=Count("id"),
            due_today=Count("id", filter=bucket_filter("due_today", window)),
            due_soon=Count("id", filter=bucket_filter("due_soon", window)),
            overdue=Count("id", filter=bucket_filter("overdue", window)),
        )
    )
    keys = ("total", "due_today", "due_soon", "overdue")
    totals = dict.fromkeys(keys, 0)
    by_stage: dict[str, int] = {}
    districts: dict[int, dict[str, Any]] = {}
    for row in rows:
        by_stage[row["status"]] = by_stage.get(row["status"], 0) + row["total"]
        district = districts.setdefault(
            row["district"], {"district": row["district"], **dict.fromkeys(keys, 0)}
        )
        for key in keys:
            totals[key] += row[key]
            district[key] += row[key]
    names = District.objects.in_bulk(list(districts))
    by_district = sorted(
        ({**r, "name": names[pk].name} for pk, r in districts.items() if pk in names),
        key=lambda r: (-r["overdue"], r["name"]),
    )
    return {
        "window": window,
        "totals": totals,
        "by_stage": by_stage,
        "by_district": by_district,
    }


#: R-SVC-12: the dashboard's figures may be this many seconds old (the national one is a scan
#: of every open case: about 0.5 s over 700,000 open cases, bench/applications_data.py).
DASHBOARD_CACHE_SECONDS = 60


def cached_dashboard(user: Any) -> dict[str, Any]:
    """``dashboard`` for the pages and the API, shared for a minute by everyone with the same
    scope (the ministry: the whole country; a district officer: their districts)."""
    from django.core.cache import cache

    grants = grants_of(user)
    if getattr(user, "is_superuser", False) or Role.MINISTRY.value in grants.roles:
        scope = "all"
    else:
        ids = sorted(district_ids(user, Role.DISTRICT_OFFICER))
        scope = "d" + ",".join(map(str, ids))
        if Role.SOCIAL_WORKER.value in grants.roles:
            scope += f";w{user.pk}"
    # The district names are in the reader's language: one entry per language.
    language = translation.get_language() or settings.LANGUAGE_CODE
    key = f"applications.dashboard:{timezone.localdate():%Y%m%d}:{scope}:{language}"
    data = cache.get(key)
    if data is None:
        data = dashboard(user)
        data["computed_at"] = timezone.now()
        # Issue 9: the page's rendered figures are kept under this key too (views.dashboard).
        data["cache_key"] = f"{key}:{data['computed_at'].timestamp()}"
        cache.set(key, data, DASHBOARD_CACHE_SECONDS)
    return data


def drill_down(
    user: Any,
    *,
    status: str = "",
    bucket: str = "",
    district: int | None = None,
    today: dt.date | None = None,
) -> QuerySet[Application]:
    qs = open_cases_for(user)
    if status:
        qs = qs.filter(status=status)
    if bucket in BUCKETS:
        qs = qs.filter(bucket_filter(bucket, Window.on(today)))
    if district:
        qs = qs.filter(district_id=district)
    return qs.order_by("current_due", "id")


def feed_for(user: Any, *, after: int = 0, limit: int = 100) -> list[Transition]:
    """R-SVC-12: the append-only feed of stage changes after cursor ``after`` (a transition
    id), oldest first, scoped like the dashboard."""
    qs = Transition.objects.select_related("application").filter(id__gt=after)
    if not (getattr(user, "is_superuser", False) or Role.MINISTRY.value in grants_of(user).roles):
        qs = qs.filter(district_id__in=district_ids(user, Role.DISTRICT_OFFICER))
    return list(qs.order_by("id")[: max(1, min(limit, 1000))])


def social_workers_of(district_id: int) -> QuerySet[Any]:
    from qamqor.accounts.models import User

    return (
        User.objects.filter(
            role_assignments__role=Role.SOCIAL_WORKER,
            role_assignments__district_id=district_id,
            role_assignments__revoked_at__isnull=True,
            is_active=True,
        )
        .distinct()
        .order_by("surname", "given_name")
    )


def organizations_for_choice(app: Application) -> QuerySet[Any]:
    """R-SVC-9: organizations of the registry offering the conditions of the form, the
    recipient's district first."""
    from django.db.models import Case, IntegerField, Value, When

    from qamqor.applications.models import FormKind
    from qamqor.applications.services.cases import CONDITION_OF_FORM
    from qamqor.organizations.models import Organization, OrganizationStatus

    condition = CONDITION_OF_FORM[FormKind(app.form_kind)]
    return (
        Organization.objects.exclude(status=OrganizationStatus.EXCLUDED)
        .filter(services__condition=condition)
        .select_related("district")
        .annotate(
            here=Case(
                When(district_id=app.district_id, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .distinct()
        .order_by("here", "name_kk", "pk")
    )


def filed_with_key(user: Any, key: str) -> bool:
    """A replay of an ``Idempotency-Key`` this person already filed with."""
    return bool(key) and Application.objects.filter(filed_by=user, idempotency_key=key).exists()


def social_worker_of(district_id: int, pk: int) -> Any:
    """A social worker of the district by id, or None."""
    return social_workers_of(district_id).filter(pk=pk).first()


def organization_by_pk(pk: int) -> Any:
    from qamqor.organizations.models import Organization

    return Organization.objects.filter(pk=pk).first()


def log_file_read(user: Any, app: Application, path: str) -> None:
    """R-X-5, R-SVC-16: staff reading a case (its medical card) is logged; the recipient
    reading their own file is not."""
    if app.recipient.iin == getattr(user, "iin", None):
        return
    from qamqor.core.audit import record_file_access

    record_file_access(user, app.recipient.iin, app, purpose="applications.case", path=path)
