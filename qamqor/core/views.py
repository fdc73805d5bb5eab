from __future__ import annotations

import datetime as dt
import sys
from typing import Any

from django import forms
from django.db import InterfaceError, OperationalError, connection
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    HttpResponseServerError,
    JsonResponse,
)
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from qamqor.core import calendar, selectors
from qamqor.core.errors import DomainError


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    # Every public part of the portal is linked from here; features add theirs as they land.
    public_links = [
        {
            "url": reverse("organizations:registry"),
            "title": _("Registry of organizations"),
            "description": _("find a care organization by region, service condition and vacancies"),
        },
        {
            "url": reverse("specialists:registry"),
            "title": _("Registry of specialists"),
            "description": _("find a registered social worker by region, profession and category"),
        },
        {
            "url": "/api/docs",
            "title": _("Open API"),
            "description": _("machine-readable access to the portal's public data and services"),
        },
        {
            "url": reverse("api-v1:list_regions"),
            "title": _("Regions and districts"),
            "description": _("the administrative-territorial reference data the portal uses"),
        },
        {
            "url": reverse("calendar"),
            "title": _("Working-day calendar"),
            "description": _(
                "the days off and holidays of each year, and a calculator of terms in working days"
            ),
        },
    ]
    return render(request, "core/home.html", {"public_links": public_links})


@require_GET
def floor(request: HttpRequest, pk: int) -> JsonResponse:
    """The benchmark floor: one primary-key SELECT, returned as JSON (bench/README.md)."""
    return JsonResponse({"region": selectors.region_row(pk)})


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A translated, plain-words page instead of Django's technical CSRF failure page."""
    return render(request, "403_csrf.html", status=403)


def api_docs_redirect(request: HttpRequest) -> HttpResponseRedirect:
    return HttpResponseRedirect("/api/v1/docs")


class DeadlineCalculatorForm(forms.Form):
    """The public calculator of terms in working days (R-X-1)."""

    start = forms.DateField(
        label=gettext_lazy("Date of the event that starts the term"),
        help_text=gettext_lazy("For example 19.03.2025. The term is counted from the next day."),
        input_formats=["%d.%m.%Y", "%Y-%m-%d"],
        error_messages={
            "required": gettext_lazy("Enter the date of the event that starts the term."),
            "invalid": gettext_lazy("Enter a real date as day.month.year, for example 19.03.2025."),
        },
    )
    days = forms.IntegerField(
        label=gettext_lazy("Number of working days"),
        help_text=gettext_lazy("A whole number from 1 to 250."),
        min_value=1,
        max_value=250,
        error_messages={
            "required": gettext_lazy("Enter the number of working days."),
            "invalid": gettext_lazy("Enter the number of working days as a whole number."),
            "min_value": gettext_lazy("Enter at least 1 working day."),
            "max_value": gettext_lazy("Enter at most 250 working days."),
        },
    )


@require_GET
def calendar_page(request: HttpRequest) -> HttpResponse:
    """R-X-1: the public working-day calendar of a year and the deadline calculator."""
    years = calendar.calendar_years()
    year = timezone.localdate().year
    year_typed = request.GET.get("year", "")
    year_error = ""
    if year_typed:
        try:
            year = int(year_typed)
        except ValueError:
            year_error = _("Choose a year from the list.")
    if not year_error and year not in years:
        year_error = _("The calendar for %(year)s has not been loaded. Choose another year.") % {
            "year": year
        }
    context: dict[str, Any] = {
        "years": years,
        "year": year,
        "year_typed": year_typed,
        "year_error": year_error,
        "days_off": [],
        "working_weekends": [],
        "working_day_count": None,
    }
    if not year_error:
        context["days_off"] = calendar.days_off(year)
        context["working_weekends"] = calendar.working_weekend_days(year)
        context["working_day_count"] = calendar.working_days_in_year(year)

    submitted = "start" in request.GET or "days" in request.GET
    form = DeadlineCalculatorForm(request.GET if submitted else None)
    deadline = None
    if submitted and form.is_valid():
        start: dt.date = form.cleaned_data["start"]
        try:
            deadline = calendar.compute_deadline(
                start, form.cleaned_data["days"], calendar.WORKING_DAYS, rule_id="R-X-1"
            )
        except DomainError as exc:
            form.add_error("start", str(exc.message))
    context["form"] = form
    context["deadline"] = deadline
    context["explanation"] = deadline.explain() if deadline else ""
    return render(request, "core/calendar.html", context)


# --- Faults (issue 10 item 7) -----------------------------------------------------------------
#: The database is away (restarted, failed over, refused a connection): a retry later works.
DATABASE_AWAY = (OperationalError, InterfaceError)


def database_away_response(request: HttpRequest) -> HttpResponse:
    """503 with ``Retry-After``: the API's error structure, or the static bilingual page (no
    template context: the context processors would ask the database again)."""
    if request.path.startswith("/api/"):
        body = {
            "errors": [
                {
                    "code": "service.unavailable",
                    "message": _("The service is briefly unavailable. Try again in a minute."),
                    "field": None,
                }
            ]
        }
        response: HttpResponse = JsonResponse(body, status=503)
    else:
        response = HttpResponse(
            loader.get_template("503.html").render(), status=503, content_type="text/html"
        )
    response["Retry-After"] = "5"
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: a lost database answers 503 (retry), anything else the 500 page; no
    traceback ever reaches the client (it is logged by ``django.request``)."""
    exc = sys.exc_info()[1]
    if isinstance(exc, DATABASE_AWAY):
        return database_away_response(request)
    if request.path.startswith("/api/"):
        body = {
            "errors": [
                {
                    "code": "http.500",
                    "message": _("Something went wrong on our side. Please try again later."),
                    "field": None,
                }
            ]
        }
        return JsonResponse(body, status=500)
    return HttpResponseServerError(loader.get_template("500.html").render())


def _caused_by_database(exc: BaseException | None) -> bool:
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, DATABASE_AWAY):
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """``handler400``. Found by ``make drill``: during a database restart the session cannot be
    saved at the end of a request, and Django turns that into ``SessionInterrupted`` (a 400, "the
    session was deleted"). A 400 tells the client not to retry; it was the database: 503."""
    if _caused_by_database(exception):
        return database_away_response(request)
    return defaults.bad_request(request, exception)
