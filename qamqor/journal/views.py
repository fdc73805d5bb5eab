"""Pages of the journal and the queue (issue 7 item 5). Thin: parse, call one service or
selector, render. Staff pages are organization-scoped (``selectors.get_journal_for``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qamqor.accounts import signing
from qamqor.accounts.forms import SignatureForm
from qamqor.accounts.permissions import can
from qamqor.accounts.representation import act_parties
from qamqor.accounts.views.esign import _script_config, dev_signer_enabled
from qamqor.core import freshness
from qamqor.core.audit import record_file_access
from qamqor.core.errors import DomainError, NotFoundError
from qamqor.journal import exports, selectors, services
from qamqor.journal.forms import (
    AdmissionForm,
    ArrivalForm,
    MovementForm,
    OfferForm,
    PostponementForm,
    initial_dates,
)
from qamqor.journal.models import Journal, MovementKind, QueueStatus
from qamqor.journal.services import CardData, PersonData
from qamqor.journal.verification import verify_journal
from qamqor.organizations import selectors as org_selectors
from qamqor.organizations.models import ServiceCondition


def _staff_journal(request: HttpRequest, pk: int, *, write: bool = False) -> Journal:
    if not can(request.user, "journal.view_journal"):
        raise PermissionDenied
    try:
        return selectors.get_journal_for(request.user, pk, write=write)
    except NotFoundError as exc:
        raise Http404(str(exc.message)) from exc


def _form_error(form: Any, exc: DomainError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """The journals the user may open (organization staff: their organization's)."""
    if not can(request.user, "journal.view_journal"):
        raise PermissionDenied
    # A journal exists for every offered condition (R-JRN-1: one per organization and condition).
    services.open_journals(selectors.services_in_scope(request.user)[:200])
    journals = list(
        selectors.journals_for(request.user).order_by("organization__name_kk", "condition")[:200]
    )
    return render(request, "journal/index.html", {"journals": journals})


@login_required
@require_GET
def journal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The journal (R-JRN-1) with capacity and vacancies (SPEC §3) and the queue (R-QUE-1)."""
    journal = _staff_journal(request, pk)
    record_file_access(request.user, "", journal, purpose="journal.view", path=request.path)
    return _render_detail(request, journal)


def _render_detail(
    request: HttpRequest,
    journal: Journal,
    *,
    offer_form: OfferForm | None = None,
    status: int = 200,
) -> HttpResponse:
    queue = list(selectors.waiting_queue(journal)[:100])
    return render(
        request,
        "journal/detail.html",
        {
            "journal": journal,
            "counts": selectors.occupancy(journal),
            "stays": selectors.stays_of(journal).filter(
                status__in=["in_care", "on_leave", "suspended"]
            )[:500],
            "queue": queue,
            "offers": journal.queue.filter(status=QueueStatus.OFFERED).order_by("arrive_by", "pk"),
            "suspended": journal.queue.filter(status=QueueStatus.SUSPENDED).order_by(
                "priority", "registered_at", "pk"
            )[:100],
            "offer_form": offer_form
            or OfferForm(initial={"arrive_by": timezone.localdate() + dt.timedelta(days=10)}),
            "may_manage": can(request.user, "journal.manage_journal", journal),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def admit(request: HttpRequest, pk: int) -> HttpResponse:
    """R-JRN-1 admission (R-JRN-3 "returned" is set by the service; R-JRN-4 card)."""
    journal = _staff_journal(request, pk, write=True)
    form = AdmissionForm(request.POST or None, initial=initial_dates())
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        card = None
        if d.get("medical_examination_on"):
            card = CardData(
                arrived_at=timezone.now(),
                medical_examination_on=d["medical_examination_on"],
                sanitary_treatment_done=d["sanitary_treatment_done"],
                disinfection_done=d["disinfection_done"],
            )
        try:
            services.admit(
                request.user,
                journal.organization,
                journal.condition,
                form.person(),
                admitted_on=d["on"],
                order_number=d["order_number"],
                order_date=d["order_date"],
                card=card,
            )
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("The person is admitted."))
            return redirect("journal:detail", pk=journal.pk)
    return render(
        request,
        "journal/admit.html",
        {"journal": journal, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def move(request: HttpRequest, pk: int) -> HttpResponse:
    """R-JRN-1 movements of one stay: leave, return, suspension, resumption, termination,
    discharge, transfer."""
    if not can(request.user, "journal.view_journal"):
        raise PermissionDenied
    try:
        stay = selectors.get_stay_for(request.user, pk, write=True)
    except NotFoundError as exc:
        raise Http404(str(exc.message)) from exc
    form = MovementForm(request.POST or None, initial=initial_dates())
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        kwargs = {
            "on": d["on"],
            "order_number": d["order_number"],
            "order_date": d["order_date"],
            "reason": d["reason"],
        }
        try:
            if d["kind"] == MovementKind.TRANSFER:
                target = selectors.transfer_target(d.get("target"))
                services.transfer(request.user, stay, target, **kwargs)
            else:
                services.move(request.user, stay, d["kind"], **kwargs)
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("The movement is recorded."))
            return redirect("journal:detail", pk=stay.journal_id)
    return render(
        request,
        "journal/move.html",
        {"stay": stay, "journal": stay.journal, "form": form, "movements": stay.movements.all()},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@login_required
def offer(request: HttpRequest, pk: int) -> HttpResponse:
    """Offer the free place to the head of the queue with an arrival term (R-QUE-1, R-QUE-4)."""
    journal = _staff_journal(request, pk, write=True)
    form = OfferForm(request.POST)
    if form.is_valid():
        try:
            entry = services.offer_place(
                request.user, journal, arrive_by=form.cleaned_data["arrive_by"]
            )
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(
                request, _("The place is offered to %(name)s.") % {"name": entry.full_name}
            )
            return redirect("journal:detail", pk=journal.pk)
    return _render_detail(request, journal, offer_form=form, status=400)


@require_POST
@login_required
def arrival(request: HttpRequest, pk: int) -> HttpResponse:
    """The person offered the place arrived: admission from the queue (R-JRN-1)."""
    if not can(request.user, "journal.view_journal"):
        raise PermissionDenied
    try:
        entry = selectors.get_entry_for(request.user, pk, write=True)
    except NotFoundError as exc:
        raise Http404(str(exc.message)) from exc
    form = ArrivalForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.admit_from_queue(
                request.user,
                entry,
                admitted_on=d["on"],
                order_number=d["order_number"],
                order_date=d["order_date"],
            )
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("The person is admitted."))
    else:
        messages.error(request, _("Enter the date, the order number and the order date."))
    return redirect("journal:detail", pk=entry.journal_id)


@login_required
@require_GET
def verify(request: HttpRequest, pk: int) -> HttpResponse:
    """Replay of the queue history: the chain and R-QUE-1…6 (issue 7 item 4)."""
    journal = _staff_journal(request, pk)
    return render(
        request, "journal/verify.html", {"journal": journal, "report": verify_journal(journal)}
    )


@login_required
@require_GET
def export(request: HttpRequest, pk: int, fmt: str) -> HttpResponseBase:
    """R-JRN-2: the journal in the form of appendix 2, XLSX or PDF, kk or ru."""
    journal = _staff_journal(request, pk, write=True)
    record_file_access(
        request.user, "", journal, purpose=f"journal.export.{fmt}", path=request.path
    )
    language = exports.export_language(request.GET.get("lang"))
    return exports.journal_response(fmt, journal, language)


# --- Recipient ------------------------------------------------------------------------------


@login_required
@require_GET
def my_queue(request: HttpRequest) -> HttpResponse:
    """R-QUE-1 transparency: my position, the number ahead and the wait estimate."""
    signer, on_behalf_of = act_parties(request)
    person = on_behalf_of or signer

    def content() -> str:
        positions = selectors.my_positions(person)
        return render_to_string("journal/_my_queue_content.html", {"positions": positions})

    # Issue 9: cached per person and viewer, checked on every view (core.freshness).
    html = freshness.cached(
        "journal.my_queue", selectors.position_watches, request, person, content
    )
    return render(request, "journal/my_queue.html", {"content": html, "person": person})


def _person_of_user(user: Any) -> PersonData:
    return PersonData(
        iin=user.iin,
        full_name=user.get_full_name(),
        phone=str(getattr(user, "phone", "") or ""),
        user=user,
    )


@login_required
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    """R-QUE-2: the queue application to an organization without a vacancy, signed with the
    e-signature (NCALayer, an uploaded signature or, in development, the test signer)."""
    try:
        organization = org_selectors.get_public_organization(pk)
    except NotFoundError as exc:
        raise Http404(str(exc.message)) from exc
    condition = request.GET.get("condition") or ServiceCondition.STATIONARY
    if condition not in ServiceCondition.values:
        raise Http404
    signer, on_behalf_of = act_parties(request)
    person = _person_of_user(on_behalf_of or signer)
    act = services.queue_application_act(organization, condition, person)
    content = signing.canonical_bytes(act)
    form = SignatureForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if _dev_method(request):
            form = SignatureForm()  # nothing pasted: show no "sign first" error
        cms = _signature(request, form, signer, content)
        if cms is not None:
            try:
                document = signing.record_signed_document(
                    kind=services.queue.QUEUE_APPLICATION,
                    content=content,
                    cms=cms,
                    signed_by=signer,
                    on_behalf_of=on_behalf_of,
                )
                services.file_queue_application(
                    organization, condition, person, application=document, actor=signer
                )
            except DomainError as exc:
                form.refuse(str(exc.message))
            else:
                messages.success(request, _("Your queue application is registered."))
                return redirect("journal:my_queue")
    return render(
        request,
        "journal/apply.html",
        {
            "organization": organization,
            "condition": ServiceCondition(condition),
            "form": form,
            "dev_signer": dev_signer_enabled(),
            "esign_config": _script_config(request, mode="sign", data=content),
            **signing.about_to_sign_context(act, _("Queue application"), labels=_ACT_LABELS),
        },
        status=400 if request.method == "POST" else 200,
    )


_ACT_LABELS = {
    "act": _("Act"),
    "organization": _("Organization"),
    "organization_bin": _("BIN"),
    "condition": _("Service condition"),
    "iin": _("IIN"),
    "full_name": _("Surname, name, patronymic"),
    "out_of_turn": _("Out of turn"),
    "date": _("Date"),
}


def _dev_method(request: HttpRequest) -> bool:
    return request.POST.get("method") == "dev" and dev_signer_enabled()


def _signature(
    request: HttpRequest, form: SignatureForm, signer: Any, content: bytes
) -> bytes | str | None:
    if _dev_method(request):
        return signing.dev_signature(signer, content, kind="sign")
    return form.cleaned_data["signature"] if form.is_valid() else None


@login_required
@require_http_methods(["GET", "POST"])
def postpone(request: HttpRequest, pk: int) -> HttpResponse:
    """R-QUE-5: move the arrival date once, with a signed notification (illness or
    hospitalisation), by the recipient or the legal representative."""
    signer, on_behalf_of = act_parties(request)
    try:
        entry = selectors.get_my_entry(on_behalf_of or signer, pk)
    except NotFoundError as exc:
        raise Http404(str(exc.message)) from exc
    step = PostponementForm(request.POST or None)
    form = SignatureForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {
        "entry": entry,
        "step": step,
        "form": form,
        "dev_signer": dev_signer_enabled(),
    }
    try:
        context["limit"] = (
            services.postponement_limit(entry) if entry.status == QueueStatus.OFFERED else None
        )
    except DomainError:
        context["limit"] = None
    if request.method == "POST" and step.is_valid():
        new_date, reason = step.cleaned_data["new_date"], step.cleaned_data["reason"]
        act = services.postponement_act(entry, new_date, reason)
        content = signing.canonical_bytes(act)
        context.update(signing.about_to_sign_context(act, _("Notification of postponed arrival")))
        context["esign_config"] = _script_config(request, mode="sign", data=content)
        if request.POST.get("stage") == "sign":
            if _dev_method(request):
                form = context["form"] = SignatureForm()
            cms = _signature(request, form, signer, content)
            if cms is not None:
                try:
                    document = signing.record_signed_document(
                        kind=services.queue.POSTPONEMENT,
                        content=content,
                        cms=cms,
                        signed_by=signer,
                        on_behalf_of=on_behalf_of,
                    )
                    services.postpone_arrival(
                        entry, new_date, reason, notification=document, actor=signer
                    )
                except DomainError as exc:
                    form.refuse(str(exc.message))
                else:
                    messages.success(request, _("The arrival date is moved."))
                    return redirect("journal:my_queue")
        else:
            form = SignatureForm()
            context["form"] = form
    return render(
        request,
        "journal/postpone.html",
        context,
        status=400 if request.method == "POST" and form.errors else 200,
    )


# --- Public ---------------------------------------------------------------------------------


@require_GET
def public_counts(request: HttpRequest, pk: int) -> HttpResponse:
    """Counts only, per condition: capacity, occupied, offered, vacancies, queue (issue item 2)."""
    try:
        organization = org_selectors.get_public_organization(pk)
    except NotFoundError as exc:
        raise Http404(str(exc.message)) from exc
    return render(
        request,
        "journal/public_counts.html",
        {"organization": organization, "counts": selectors.organization_counts(organization.pk)},
    )
