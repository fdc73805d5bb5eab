"""Pages of the registry of organizations: the public registry (R-ORG-4), the back office
(issue 4 item 4: every entry with its history; the staff's own contacts and consent) and the
exports (R-ORG-5). Thin: parse, call one selector or service, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from qamqor.accounts.permissions import can
from qamqor.core import pagecache
from qamqor.core.errors import DomainError, NotFoundError, PermissionDeniedError
from qamqor.organizations import exports, selectors, services
from qamqor.organizations.apps import REGISTRY_CACHE
from qamqor.organizations.forms import (
    ConsentForm,
    ContactsForm,
    RegistrySearchForm,
    StaffRegistrySearchForm,
)
from qamqor.organizations.models import Organization, RecipientCategory

PAGE_SIZE = 20
CONTACTS_PERM = "organizations.change_organization_contacts"  # R-ORG-2.7 (rules.py)
CONSENT_PERM = "organizations.change_organization_consent"  # R-ORG-4 (rules.py)


def _page(request: HttpRequest, qs: Any) -> Any:
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _require_staff_reader(request: HttpRequest) -> None:
    # Ministry, registry administrator, organization staff (rules.py); others are refused.
    if not can(request.user, "organizations.view_staff_registry"):
        raise PermissionDenied


@require_GET
def registry(request: HttpRequest) -> HttpResponse:
    """R-ORG-4: the public registry: consented, non-excluded entries, searched and filtered."""

    def content() -> str:
        form = RegistrySearchForm(request.GET)
        qs = selectors.sorted_organizations(
            selectors.for_listing(selectors.public_organizations(**form.filters())),
            form.sort_order,
        )
        page = _page(request, qs)
        context = {
            "form": form,
            "page": page,
            "page_range": _page_range(page),
            "pdf_max_rows": exports.PDF_MAX_ROWS,
        }
        return render_to_string("organizations/_registry_content.html", context, request)

    # Issue 9: the content is the same for everyone asking the same question in the same
    # language; it is cached until an entry, a service, a vacancy or a region changes.
    html = pagecache.cached_content(REGISTRY_CACHE, request, content)
    return render(request, "organizations/registry.html", {"content": html})


@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """R-ORG-2, R-ORG-4: one public entry; 404 for an entry without consent or excluded."""
    found: list[Organization] = []

    def organization() -> Organization:
        if not found:
            try:
                found.append(selectors.get_public_organization(pk))
            except NotFoundError as exc:
                raise Http404(str(exc.message)) from exc
        return found[0]

    def content() -> str:
        entry = organization()
        context = _fields_context(entry, list(entry.services.all()))
        return render_to_string("organizations/_detail_content.html", context, request)

    def title() -> str:
        return format_html("{}", organization().name)

    # Issue 9: the entry is the same for everyone in the same language; cached like the
    # registry's results until an entry, a service or the journal changes.
    return render(
        request,
        "organizations/detail.html",
        {
            "title": pagecache.cached_content(REGISTRY_CACHE, request, title, part="title"),
            "content": pagecache.cached_content(REGISTRY_CACHE, request, content),
        },
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
        selectors.for_listing(selectors.staff_organizations(request.user, **form.filters())),
        form.sort_order,
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
    """One entry with its change history, newest first (R-ORG-3); 404 if not the user's.

    Shows the contacts form to those who may change the contacts (R-ORG-2.7) and the consent
    form to the organization's own staff (R-ORG-4).
    """
    organization = _staff_organization(request, pk)
    return _render_staff_detail(request, organization)


@require_POST
@login_required
def staff_contacts(request: HttpRequest, pk: int) -> HttpResponse:
    """R-ORG-2.7: the organization's staff or the registry administrator change the phone and
    e-mail; 404 for an entry not the user's, 403 for a role that may see but not change it."""
    organization = _staff_organization(request, pk)
    if not can(request.user, CONTACTS_PERM, organization):
        raise PermissionDenied
    form = ContactsForm(request.POST)
    if form.is_valid():
        try:
            updated = services.update_contacts(request.user, organization, **form.cleaned_data)
        except PermissionDeniedError as exc:
            raise PermissionDenied(str(exc.message)) from exc
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        else:
            if (updated.phone, updated.email) == (organization.phone, organization.email):
                messages.info(request, _("The contacts are unchanged."))
            else:
                messages.success(request, _("The contacts are saved."))
            return redirect("organizations:staff_detail", pk=organization.pk)
    return _render_staff_detail(request, organization, contacts_form=form, status=400)


@require_POST
@login_required
def staff_consent(request: HttpRequest, pk: int) -> HttpResponse:
    """R-ORG-4: the organization's own staff give or withdraw consent to publication; 404 for
    an entry not the user's, 403 for a role that may see but not decide (ministry, admin)."""
    organization = _staff_organization(request, pk)
    if not can(request.user, CONSENT_PERM, organization):
        raise PermissionDenied
    form = ConsentForm(request.POST)
    if form.is_valid():
        try:
            updated = services.set_consent(request.user, organization, form.consented)
        except PermissionDeniedError as exc:
            raise PermissionDenied(str(exc.message)) from exc
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        else:
            if updated.is_public:
                messages.success(
                    request,
                    _(
                        "Consent to publication is given: the entry is shown in the public "
                        "registry."
                    ),
                )
            elif updated.publication_consent:
                messages.success(request, _("Consent to publication is given."))
            else:
                messages.success(
                    request,
                    _("Consent is withdrawn: the entry is no longer shown in the public registry."),
                )
            return redirect("organizations:staff_detail", pk=organization.pk)
    return _render_staff_detail(request, organization, consent_form=form, status=400)


def _staff_organization(request: HttpRequest, pk: int) -> Organization:
    # 403 for roles outside the back office, then the chokepoint: 404 if not the user's entry.
    _require_staff_reader(request)
    try:
        return selectors.get_organization_for(request.user, pk)
    except NotFoundError as exc:
        raise Http404(str(exc.message)) from exc


def _render_staff_detail(
    request: HttpRequest,
    organization: Organization,
    *,
    contacts_form: ContactsForm | None = None,
    consent_form: ConsentForm | None = None,
    status: int = 200,
) -> HttpResponse:
    may_edit_contacts = can(request.user, CONTACTS_PERM, organization)
    may_change_consent = can(request.user, CONSENT_PERM, organization)
    if may_edit_contacts and contacts_form is None:
        contacts_form = ContactsForm(
            initial={"phone": organization.phone or "", "email": organization.email}
        )
    if may_change_consent and consent_form is None:
        consent_form = ConsentForm()
    return render(
        request,
        "organizations/staff_detail.html",
        {
            **_fields_context(organization, selectors.offered_services_of(organization)),
            "history": selectors.organization_history(organization),
            "contacts_form": contacts_form if may_edit_contacts else None,
            "consent_form": consent_form if may_change_consent else None,
        },
        status=status,
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
