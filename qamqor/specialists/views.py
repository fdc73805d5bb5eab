"""Pages of the registry of specialists: the applicant's form and cabinet (R-SPC-1, R-SPC-2,
R-SPC-4), the administrator's queue and decisions (R-SPC-3), the public registry and its exports
(R-SPC-5). Thin: parse, call one service or selector, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qamqor.accounts.permissions import can
from qamqor.core import pagecache
from qamqor.core.audit import record_file_access
from qamqor.core.calendar import Deadline
from qamqor.core.errors import DomainError, NotFoundError
from qamqor.specialists import exports, selectors, services
from qamqor.specialists.apps import REGISTRY_CACHE
from qamqor.specialists.forms import (
    ConsentForm,
    DecisionForm,
    DocumentForm,
    EducationFormSet,
    EmploymentFormSet,
    PersonalForm,
    ProfessionForm,
    RegistrySearchForm,
    entries,
    initial_entries,
)
from qamqor.specialists.models import Application, Status

PAGE_SIZE = 20
STEPS = [
    ("personal", gettext_lazy("Personal data")),
    ("profession", gettext_lazy("Profession and qualification")),
    ("education", gettext_lazy("Education")),
    ("employment", gettext_lazy("Employment")),
    ("documents", gettext_lazy("Documents")),
    ("review", gettext_lazy("Check and submit")),
]
STEP_FORMS: dict[str, Any] = {"personal": PersonalForm, "profession": ProfessionForm}
FORMSETS: dict[str, Any] = {"education": EducationFormSet, "employment": EmploymentFormSet}


def _own(request: HttpRequest, pk: int, *, write: bool = False) -> Application:
    try:
        return selectors.get_application_for(request.user, pk, write=write)
    except NotFoundError as exc:
        raise Http404(str(exc.message)) from exc


def _next_step(step: str) -> str:
    names = [s for s, _label in STEPS]
    following = names[names.index(step) + 1]
    return following


def _step_url(application: Application, step: str) -> str:
    if step == "documents":
        return reverse("specialists:documents", args=[application.pk])
    if step == "review":
        return reverse("specialists:application", args=[application.pk])
    return reverse(f"specialists:step_{step}", args=[application.pk])


def _steps_context(application: Application, current: str) -> dict[str, Any]:
    return {
        "application": application,
        "steps": [
            {"name": s, "label": label, "url": _step_url(application, s), "current": s == current}
            for s, label in STEPS
        ],
        "current_step": current,
    }


# --- The applicant ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest) -> HttpResponseBase:
    """R-SPC-1: the applicant's start page: the current application, or a button to start one."""
    if not can(request.user, "specialists.apply"):
        raise PermissionDenied
    current = selectors.current_application(request.user)
    if request.method == "POST":
        if current is None:
            try:
                current = services.start_application(request.user)
            except DomainError as exc:
                messages.error(request, str(exc.message))
                return redirect("specialists:apply")
            return redirect("specialists:step_personal", pk=current.pk)
        return redirect("specialists:application", pk=current.pk)
    return render(
        request,
        "specialists/apply.html",
        {"current": current, "past": selectors.past_applications(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """Issue 5 item 1: one step of the form. Every valid field is saved at once; a wrong one is
    shown with its error and with what was typed."""
    application = _own(request, pk, write=True)
    if not application.is_editable:
        return redirect("specialists:application", pk=application.pk)
    context = _steps_context(application, step)
    status = 200
    if step in STEP_FORMS:
        form_class = STEP_FORMS[step]
        if request.method == "POST":
            form = form_class(request.POST)
            values = form.valid_values()
            application = services.save_draft(request.user, application, values)
            if form.is_valid():
                return _after_save(request, application, step)
            status = 400
        else:
            form = form_class(initial={n: getattr(application, n) for n in form_class.base_fields})
        context["form"] = form
    else:
        formset_class = FORMSETS[step]
        if request.method == "POST":
            formset = formset_class(request.POST, prefix=step)
            if formset.is_valid():
                services.save_draft(request.user, application, {step: entries(formset)})
                return _after_save(request, application, step)
            status = 400
        else:
            formset = formset_class(
                initial=initial_entries(getattr(application, step)), prefix=step
            )
        context["formset"] = formset
    if status == 400:
        messages.error(request, _("Some fields need correcting. The correct ones are saved."))
    return render(request, "specialists/step.html", context, status=status)


def _after_save(request: HttpRequest, application: Application, step: str) -> HttpResponse:
    messages.success(request, _("Saved."))
    if "save_exit" in request.POST:
        return redirect("specialists:application", pk=application.pk)
    return redirect(_step_url(application, _next_step(step)))


@login_required
@require_http_methods(["GET", "POST"])
def documents(request: HttpRequest, pk: int) -> HttpResponse:
    """R-SPC-2: attach documents (PDF/JPEG/PNG, sniffed, size-limited, private)."""
    application = _own(request, pk, write=True)
    if not application.is_editable:
        return redirect("specialists:application", pk=application.pk)
    status = 200
    form = DocumentForm()
    if request.method == "POST":
        form = DocumentForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.attach_document(
                    request.user, application, form.cleaned_data["kind"], form.cleaned_data["file"]
                )
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
            else:
                messages.success(request, _("The document is attached."))
                return redirect("specialists:documents", pk=application.pk)
        status = 400
    return render(
        request,
        "specialists/documents.html",
        {
            **_steps_context(application, "documents"),
            "form": form,
            "attachments": selectors.active_attachments(application),
        },
        status=status,
    )


@login_required
@require_GET
def application(request: HttpRequest, pk: int) -> HttpResponse:
    """The application with its status, deadline, every version and decision (R-SPC-4); the
    summary and the submit button while it is editable. Owner and registry administrator."""
    app = _own(request, pk)
    is_owner = app.applicant_id == request.user.pk
    if not is_owner:
        record_file_access(
            request.user, app.applicant.iin, app, purpose="specialists.review", path=request.path
        )
    return render(request, "specialists/application.html", _application_context(request, app))


def _application_context(request: HttpRequest, app: Application, **extra: Any) -> dict[str, Any]:
    is_owner = app.applicant_id == request.user.pk
    return {
        **_steps_context(app, "review"),
        "is_owner": is_owner,
        "missing": services.missing_items(app) if app.is_editable and is_owner else [],
        "attachments": selectors.active_attachments(app),
        "versions": selectors.versions_of(app),
        "deadline": Deadline.from_dict(app.deadline) if app.deadline else None,
        "consent_form": ConsentForm(initial={"publication_consent": app.publication_consent}),
        "Status": Status,
        **extra,
    }


@require_POST
@login_required
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    """R-SPC-2, R-SPC-3, R-SPC-4: submit the application (a new version, a new term)."""
    app = _own(request, pk, write=True)
    form = ConsentForm(request.POST)
    try:
        if form.is_valid():
            services.save_draft(request.user, app, form.valid_values())
        services.submit(request.user, app)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("specialists:application", pk=app.pk)
    messages.success(request, _("The application is submitted."))
    return redirect("specialists:application", pk=app.pk)


@require_POST
@login_required
def start_update(request: HttpRequest, pk: int) -> HttpResponse:
    """R-SPC-4: a registered specialist starts a new version of the entry."""
    app = _own(request, pk, write=True)
    try:
        services.start_update(request.user, app)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("specialists:application", pk=app.pk)
    return redirect("specialists:step_employment", pk=app.pk)


@require_POST
@login_required
def consent(request: HttpRequest, pk: int) -> HttpResponse:
    """R-SPC-5: give or withdraw consent to publication (at once for a registered entry)."""
    app = _own(request, pk, write=True)
    form = ConsentForm(request.POST)
    form.is_valid()
    try:
        services.set_publication_consent(
            request.user, app, bool(form.cleaned_data.get("publication_consent"))
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Your choice about publication is saved."))
    return redirect("specialists:application", pk=app.pk)


@login_required
@require_GET
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    """A document, only to its applicant and the registry administrator; every read by someone
    else is logged (R-X-5)."""
    try:
        doc = selectors.get_attachment_for(request.user, pk)
    except NotFoundError as exc:
        raise Http404(str(exc.message)) from exc
    owner = doc.application.applicant
    if owner.pk != request.user.pk:
        record_file_access(
            request.user, owner.iin, doc, purpose="specialists.document", path=request.path
        )
    response = FileResponse(
        doc.file.open("rb"),
        as_attachment=True,
        filename=f"{doc.kind}-{doc.pk}.{doc.extension}",
        content_type=doc.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@login_required
def remove_attachment(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        doc = selectors.get_attachment_for(request.user, pk)
    except NotFoundError as exc:
        raise Http404(str(exc.message)) from exc
    if doc.application.applicant_id != request.user.pk:
        raise Http404
    try:
        services.remove_document(request.user, doc)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The document is removed."))
    return redirect("specialists:documents", pk=doc.application_id)


# --- The registry administrator (R-SPC-3) -----------------------------------------------------


def _require_reviewer(request: HttpRequest) -> None:
    if not can(request.user, "specialists.review_application"):
        raise PermissionDenied


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    """R-SPC-3: the work queue, nearest due date first; near-due and overdue highlighted."""
    _require_reviewer(request)
    today = timezone.localdate()
    page = Paginator(selectors.review_queue(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "specialists/queue.html",
        {
            "page": page,
            "today": today,
            "near_due_limit": services.near_due_limit(today),
            "counts": selectors.queue_counts(today),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """R-SPC-3: the application and the decision form."""
    _require_reviewer(request)
    app = _own(request, pk)
    form = DecisionForm()
    status = 200
    if request.method == "POST":
        form = DecisionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data["decision"] == "register":
                    services.register(request.user, app, comment=data["comment"])
                elif data["decision"] == "return":
                    services.return_for_revision(
                        request.user, app, data["return_reasons"], data["comment"]
                    )
                else:
                    services.refuse(request.user, app, data["refusal_reason"], data["comment"])
            except DomainError as exc:
                field = {
                    "reasons": "return_reasons"
                    if data["decision"] == "return"
                    else "refusal_reason"
                }.get(exc.field or "", exc.field)
                form.add_error(field if field in form.fields else None, str(exc.message))
            else:
                messages.success(request, _("The decision is recorded and the applicant notified."))
                return redirect("specialists:queue")
        status = 400
    else:
        record_file_access(
            request.user, app.applicant.iin, app, purpose="specialists.review", path=request.path
        )
    return render(
        request,
        "specialists/review.html",
        _application_context(request, app, form=form),
        status=status,
    )


# --- The public registry (R-SPC-5) ------------------------------------------------------------


@require_GET
def registry(request: HttpRequest) -> HttpResponse:

    def content() -> str:
        form = RegistrySearchForm(request.GET)
        page = Paginator(selectors.public_specialists(**form.filters()), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        context = {
            "form": form,
            "page": page,
            "page_range": list(
                page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
            ),
            "query": request.GET.urlencode(),
            "pdf_max_rows": exports.PDF_MAX_ROWS,
        }
        return render_to_string("specialists/_registry_content.html", context, request)

    # Issue 9: the same for everyone asking the same question in the same language; cached
    # until a specialist, a profession or a region changes (qamqor.core.pagecache).
    html = pagecache.cached_content(REGISTRY_CACHE, request, content)
    return render(request, "specialists/registry.html", {"content": html})


@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        entry = selectors.get_public_specialist(pk)
    except NotFoundError as exc:
        raise Http404(str(exc.message)) from exc
    return render(request, "specialists/detail.html", {"entry": entry})


@require_GET
def export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    """R-SPC-5: the public registry as filtered, in the form's columns, kk or ru."""
    form = RegistrySearchForm(request.GET)
    language = exports.export_language(request.GET.get("lang"))
    qs = selectors.public_specialists(**form.filters())
    try:
        return exports.export_response(fmt, qs, language)
    except DomainError as exc:
        return render(
            request, "organizations/export_refused.html", {"message": exc.message}, status=400
        )
