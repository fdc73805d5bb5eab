"""Pages of the registry of organizations: the public registry (R-ORG-4), the back office
(issue 4 item 4, read-only part) and the exports (R-ORG-5). Thin: parse, call a selector, render."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_GET

from qamqor.accounts.permissions import can
from qamqor.core.errors import DomainError, NotFoundError
from qamqor.organizations import exports, selectors
from qamqor.organizations.forms import RegistrySearchForm, StaffRegistrySearchForm
from qamqor.organizations.models import Organization, RecipientCategory

PAGE_SIZE = 20


def _page(request: HttpRequest, qs: Any) -> Any:
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _require_staff_reader(request: HttpRequest) -> None:
    # Ministry, registry administrator, organization staff (rules.py); others are refused.
    if not can(request.user, "organizations.view_staff_registry"):
        raise PermissionDenied


@require_GET
def registry(request: HttpRequest) -> HttpResponse:
    """R-ORG-4: the public registry: consented, non-excluded entries, searched and filtered."""
    form = RegistrySearchForm(request.GET)
    qs = selectors.sorted_organizations(
        selectors.public_organizations(**form.filters()), form.sort_order
    )
    page = _page(request, qs)
    return render(
        request,
        "organizations/registry.html",
        {
            "form": form,
            "page": page,
            "page_range": _page_range(page),
            "pdf_max_rows": exports.PDF_MAX_ROWS,
        },
    )


@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """R-ORG-2, R-ORG-4: one public entry; 404 for an entry without consent or excluded."""
    try:
        organization = selectors.get_public_organization(pk)
    except NotFoundError as exc:
        raise Http404(str(exc.message)) from exc
    return render(
        request,
        "organizations/detail.html",
        _fields_context(organization, list(organization.services.all())),
    )


@require_GET
def export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    """R-ORG-5: the public registry (only public entries, as filtered) as CSV/XLSX/PDF/JSON."""
    form = RegistrySearchForm(request.GET)
    language = exports.export_language(request.GET.get("lang"))
    qs = selectors.sorted_organizations(
        selectors.public_organizations(**form.filters()), form.sort_order, language=language
    )
    return _export(request, fmt, qs, language, "public")


@login_required
@require_GET
def staff_registry(request: HttpRequest) -> HttpResponse:
    """Every entry the user may see, with excluded and unconsented ones (R-ORG-3, R-ORG-4)."""
    _require_staff_reader(request)
    form = StaffRegistrySearchForm(request.GET)
    qs = selectors.sorted_organizations(
        selectors.staff_organizations(request.user, **form.filters()), form.sort_order
    )
    page = _page(request, qs)
    return render(
        request,
        "organizations/staff_registry.html",
        {
            "form": form,
            "page": page,
            "page_range": _page_range(page),
            "pdf_max_rows": exports.PDF_MAX_ROWS,
        },
    )


@login_required
@require_GET
def staff_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One entry with its change history, newest first (R-ORG-3); 404 if not the user's."""
    _require_staff_reader(request)
    try:
        organization = selectors.get_organization_for(request.user, pk)
    except NotFoundError as exc:
        raise Http404(str(exc.message)) from exc
    return render(
        request,
        "organizations/staff_detail.html",
        {
            **_fields_context(organization, selectors.offered_services_of(organization)),
            "history": selectors.organization_history(organization),
        },
    )


@login_required
@require_GET
def staff_export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    """R-ORG-5: every entry the user may see (excluded and unconsented too) as CSV/XLSX/PDF."""
    _require_staff_reader(request)
    form = StaffRegistrySearchForm(request.GET)
    language = exports.export_language(request.GET.get("lang"))
    qs = selectors.sorted_organizations(
        selectors.staff_organizations(request.user, **form.filters()),
        form.sort_order,
        language=language,
    )
    return _export(request, fmt, qs, language, "staff")


def _export(request: HttpRequest, fmt: str, qs: Any, language: str, kind: str) -> HttpResponseBase:
    try:
        return exports.export_response(fmt, qs, language, kind)
    except DomainError as exc:  # e.g. too many rows for a printable PDF
        return render(
            request, "organizations/export_refused.html", {"message": exc.message}, status=400
        )


def _fields_context(organization: Organization, services: list[Any]) -> dict[str, Any]:
    return {
        "organization": organization,
        "services": services,
        "total_capacity": sum(s.capacity for s in services),
        "categories": [
            RecipientCategory(c).label
            for c in organization.categories
            if c in RecipientCategory.values
        ],
    }


def _page_range(page: Any) -> list[Any]:
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
