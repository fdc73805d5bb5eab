"""The person's privacy page: consents, who saw my data, download my data (R-X-5)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from qamqor.cabinet.selectors import cabinet_person
from qamqor.core.errors import DomainError
from qamqor.privacy import exports, selectors, services
from qamqor.privacy.access import export_allowed, log_export

PAGE_SIZE = 20


@login_required
@require_GET
def privacy_page(request: HttpRequest) -> HttpResponse:
    person = cabinet_person(request)
    page = Paginator(selectors.access_log_of(person), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "privacy/page.html",
        {
            "person": person,
            "page": page,
            "rows": selectors.describe(list(page.object_list), person),
            "page_range": list(page.paginator.get_elided_page_range(page.number, on_each_side=2)),
            "consents": selectors.consent_states(person),
        },
    )


@login_required
@require_POST
def consent(request: HttpRequest, kind: str, act: str) -> HttpResponse:
    person = cabinet_person(request)
    try:
        if act == "withdraw":
            services.withdraw_consent(person, kind, actor=request.user)
            messages.success(request, _("Your consent is withdrawn. The withdrawal is recorded."))
        else:
            services.give_consent(person, kind, actor=request.user)
            messages.success(request, _("Your consent is recorded."))
    except DomainError as error:
        messages.error(request, str(error.message))
    return redirect("privacy:page")


@login_required
@require_GET
def export(request: HttpRequest) -> HttpResponseBase:
    """Download my data: one JSON file, streamed; logged; rate limited."""
    person = cabinet_person(request)
    if not export_allowed(request):
        return HttpResponse(
            _("Too many downloads. Try again in an hour."), status=429, content_type="text/plain"
        )
    log_export(request, person)
    response = StreamingHttpResponse(
        exports.stream_json(person), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="qamqor-my-data-{person.iin}.json"'
    response["Cache-Control"] = "no-store"
    return response
