"""Pages of the state service: the recipient applies on the portal and follows the case
(R-SVC-1…9), staff enter paper applications and work the cases (R-SVC-4…14), the social worker's
workspace (R-SVC-7) and the monitoring dashboard (R-SVC-12). Thin: parse, call one selector or
service, render."""

from __future__ import annotations

import dataclasses
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qamqor.accounts import signing
from qamqor.accounts.forms import SignatureForm
from qamqor.accounts.models import User
from qamqor.accounts.permissions import can
from qamqor.accounts.representation import act_parties
from qamqor.accounts.roles import Role
from qamqor.accounts.views.esign import _script_config, dev_signer_enabled
from qamqor.applications import exports, selectors
from qamqor.applications.forms import (
    ApplicationForm,
    AssignForm,
    ComplaintForm,
    ComplaintOutcomeForm,
    ConclusionForm,
    HearingNoticeForm,
    IntendRefusalForm,
    PaperApplicationForm,
)
from qamqor.applications.models import Application, Channel
from qamqor.applications.services import cases, complaints, intake, results
from qamqor.applications.services.cases import decision_act
from qamqor.applications.workflow import OPEN, TRANSITIONS, Status
from qamqor.core.errors import DomainError

DRAFT_KEY = "applications.draft"
DEADLINE_LABELS = {
    "result": gettext_lazy("Result of the service"),
    "handover": gettext_lazy("Hand-over of the result to the State Corporation"),
    "assessment": gettext_lazy("Conclusion of the social worker"),
    "decision": gettext_lazy("Decision"),
    "notify_choice": gettext_lazy("Notification to choose an organization"),
    "hearing_notice": gettext_lazy("Hearing notice, at the latest"),
    "hearing": gettext_lazy("Hearing, at the latest"),
    "storage": gettext_lazy("Result kept at the State Corporation until"),
    "return": gettext_lazy("Result sent back to the State Corporation"),
}
ACT_LABELS = {
    "act": gettext_lazy("Act"),
    "application": gettext_lazy("Application"),
    "recipient_iin": gettext_lazy("IIN of the recipient"),
    "recipient": gettext_lazy("Recipient"),
    "form": gettext_lazy("Form"),
    "stay": gettext_lazy("Stay"),
    "decision": gettext_lazy("Decision"),
    "ground": gettext_lazy("Ground for refusal (R-SVC-10)"),
    "reasons": gettext_lazy("Reasons"),
    "date": gettext_lazy("Date"),
    "signer_iin": gettext_lazy("IIN of the signer"),
    "on_behalf_of_iin": gettext_lazy("IIN of the represented person"),
    "fields": gettext_lazy("Fields of the form"),
    "documents": gettext_lazy("Attached documents"),
    "medical_card": gettext_lazy("Medical card"),
    "consent_personal_data": gettext_lazy("Consent to restricted personal data"),
    "consent_relatives_data": gettext_lazy("Consent to data on children and spouse"),
    "liability_acknowledged": gettext_lazy("Liability for false data acknowledged"),
    "conditions_acknowledged": gettext_lazy("Admission conditions acknowledged"),
    "idempotency_key": gettext_lazy("Submission key"),
}


def _deadlines(app: Application) -> list[dict[str, Any]]:
    rows = []
    for name, label in DEADLINE_LABELS.items():
        deadline = app.deadline(name)
        if deadline is not None:
            rows.append(
                {
                    "name": name,
                    "label": label,
                    "due": deadline.due,
                    "rule_id": deadline.rule_id,
                    "explain": deadline.explain(),
                }
            )
    return rows


def _form_field_of(path: str) -> str | None:
    """The page field of a problem's dotted path (see forms_data)."""
    if path.startswith("medical_card.examinations.") or path.startswith("medical_card.tests."):
        parts = path.split(".")
        group = "exam" if parts[1] == "examinations" else "test"
        if len(parts) >= 4:
            return f"{group}_{parts[2]}_{parts[3]}"
        return None
    if path == "medical_card.commission.date":
        return "commission_date"
    if path.startswith("attached_documents[0]."):
        return {
            "issued_on": "identity_document_issued_on",
            "valid_until": "identity_document_valid_until",
        }.get(path.split(".", 1)[1])
    return path


def _add_problems(form: Any, problems: list[tuple[str, str, str]]) -> None:
    for path, _code, message in problems:
        name = _form_field_of(path)
        form.add_error(name if name in form.fields else None, message)


def _filing(
    form: ApplicationForm, recipient_iin: str, channel: str, base: dict[str, Any]
) -> intake.Filing:
    data = form.cleaned_data
    fields = {**base}
    for key in (
        "residence_address",
        "phone",
        "allowance_kind",
        "allowance_amount",
        "identity_document_number",
        "identity_document_issued_on",
    ):
        if data.get(key):
            fields[key] = data[key]
    if data.get("filed_by_representative"):
        fields["filed_by_representative"] = True
    return intake.Filing(
        recipient_iin=recipient_iin,
        channel=channel,
        form_kind=data["form_kind"],
        stay=data["stay"],
        form_data=fields,
        attached_documents=form.documents(),
        medical_card=form.medical_card(),
        consent_personal_data=data["consent_personal_data"],
        consent_relatives_data=data["consent_relatives_data"],
        liability_acknowledged=data["liability_acknowledged"],
        conditions_acknowledged=data["conditions_acknowledged"],
        idempotency_key=data.get("idempotency_key") or "",
    )


# --- The recipient on the portal (R-SVC-1, R-SVC-6, R-SVC-9) -------------------------------------


@login_required
@require_GET
def my_applications(request: HttpRequest) -> HttpResponse:
    apps = selectors.my_applications(request.user).order_by("-filed_at")[:50]
    return render(request, "applications/my_list.html", {"applications": apps})


@login_required
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest) -> HttpResponse:
    """Step 1: fill in form 1/2 (facts of the recipient file are shown, not asked again)."""
    signer, on_behalf_of = act_parties(request)
    person = on_behalf_of or signer
    recipient = selectors.recipient_by_iin(person.iin)
    if recipient is None:
        return render(request, "applications/no_file.html", {"person": person})
    base = intake.recipient_form_data(recipient)
    initial = {
        "residence_address": recipient.residence_address,
        "phone": str(recipient.phone or ""),
        "allowance_kind": recipient.allowance_kind,
        "allowance_amount": str(recipient.allowance_amount or ""),
        "identity_document_number": recipient.identity_document_number,
        "identity_document_issued_on": (
            f"{recipient.identity_document_issued_on:%d.%m.%Y}"
            if recipient.identity_document_issued_on
            else ""
        ),
        "idempotency_key": uuid.uuid4().hex,
    }
    form = ApplicationForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            filing = _filing(form, recipient.iin, Channel.PORTAL, base)
            problems = intake.validate_filing(filing)
            if not problems:
                request.session[DRAFT_KEY] = dataclasses.asdict(filing)
                return redirect("applications:apply-sign")
            _add_problems(form, problems)
        status = 400
    return render(
        request,
        "applications/apply.html",
        {"form": form, "recipient": recipient, "on_behalf_of": on_behalf_of},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def apply_sign(request: HttpRequest) -> HttpResponse:
    """Step 2: what the person is about to sign, then the e-signature (R-X-2). A double submit
    files one application (the idempotency key of step 1)."""
    draft = request.session.get(DRAFT_KEY)
    if not draft:
        return redirect("applications:apply")
    filing = intake.Filing(**draft)
    signer, on_behalf_of = act_parties(request)
    act = intake.portal_act(filing, signer, on_behalf_of)
    content = signing.canonical_bytes(act)
    form = SignatureForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if request.POST.get("method") == "dev" and dev_signer_enabled():
            form = SignatureForm()
            cms: bytes | str | None = signing.dev_signature(signer, content, kind="sign")
        else:
            cms = form.cleaned_data["signature"] if form.is_valid() else None
        if cms is not None:
            try:
                app = intake.file_application(
                    filing, actor=signer, on_behalf_of=on_behalf_of, cms=cms
                )
            except DomainError as error:
                form.add_error(None, str(error.message))
            else:
                request.session.pop(DRAFT_KEY, None)
                return redirect("applications:my-application", pk=app.pk)
        status = 400
    context = {
        "form": form,
        "dev_signer": dev_signer_enabled(),
        "esign_config": _script_config(request, mode="sign", data=content),
        **signing.about_to_sign_context(
            act, _("Application for special social services"), labels=ACT_LABELS
        ),
    }
    return render(request, "applications/apply_sign.html", context, status=status)


@login_required
@require_GET
def my_application(request: HttpRequest, pk: int) -> HttpResponse:
    app = selectors.get_case_for(request.user, pk)
    return render(
        request,
        "applications/my_detail.html",
        {
            "app": app,
            "deadlines": _deadlines(app),
            "may_choose": app.status == Status.CHOICE_NOTIFIED,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def choose(request: HttpRequest, pk: int) -> HttpResponse:
    """R-SVC-9: the recipient chooses an organization offering the conditions of the form."""
    app = selectors.get_case_for(request.user, pk, perm="applications.choose_organization")
    organizations = selectors.organizations_for_choice(app)
    error = ""
    if request.method == "POST":
        chosen = organizations.filter(pk=request.POST.get("organization") or 0).first()
        if chosen is None:
            error = _("Choose an organization from the list.")
        else:
            try:
                cases.choose_organization(app, chosen, actor=request.user)  # type: ignore[arg-type]
            except DomainError as exc:
                error = str(exc.message)
            else:
                messages.success(request, _("Your choice is recorded."))
                return redirect("applications:my-application", pk=app.pk)
    return render(
        request,
        "applications/choose.html",
        {"app": app, "organizations": organizations[:100], "error": error},
        status=400 if error else 200,
    )


@login_required
@require_GET
def document_pdf(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """The receipt (form 4 refusal at intake, receipt or talon, R-SVC-4/5) or the result
    (R-SVC-9), printable in kk or ru."""
    app = selectors.get_case_for(request.user, pk)
    language = exports.pdf_language(request.GET.get("lang"))
    if kind == "result" and app.result_document_id is None:
        raise Http404
    data = (
        exports.receipt_pdf(app, language)
        if kind == "receipt"
        else exports.result_pdf(app, language)
    )
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{app.number}-{kind}-{language}.pdf"'
    return response


# --- Staff: cases (R-SVC-1…14) ------------------------------------------------------------------


def _require(request: HttpRequest, perm: str, obj: Any = None) -> None:
    if not can(request.user, perm, obj):
        raise PermissionDenied


@login_required
@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    """The officer's case list, also the dashboard's drill-down (stage, bucket, district)."""
    if not can(request.user, "applications.view_dashboard"):
        raise PermissionDenied
    district = request.GET.get("district") or ""
    qs = selectors.drill_down(
        request.user,
        status=request.GET.get("status", ""),
        bucket=request.GET.get("bucket", ""),
        district=int(district) if district.isdigit() else None,
    )
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "applications/case_list.html",
        {"page": page, "statuses": [s for s in Status if s in OPEN], "today": timezone.localdate()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_new(request: HttpRequest) -> HttpResponse:
    """R-SVC-1: a paper application entered by the State Corporation operator or the local
    executive body officer; the intake check runs at once (R-SVC-4, R-SVC-5)."""
    if not (
        can(request.user, "applications.enter_state_corporation")
        or (
            can(request.user, "applications.view_dashboard")
            and Role.DISTRICT_OFFICER.value in _roles(request.user)
        )
    ):
        raise PermissionDenied
    form = PaperApplicationForm(request.POST or None, initial={"idempotency_key": uuid.uuid4().hex})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            recipient = selectors.recipient_by_iin(form.cleaned_data["recipient_iin"])
            if recipient is None:
                form.add_error("recipient_iin", _("There is no recipient file with this IIN."))
            else:
                filing = _filing(
                    form,
                    recipient.iin,
                    form.cleaned_data["channel"],
                    intake.recipient_form_data(recipient),
                )
                try:
                    app = intake.file_application(filing, actor=request.user)  # type: ignore[arg-type]
                except intake.InvalidFiling as exc:
                    _add_problems(form, exc.problems)
                except DomainError as exc:
                    form.add_error(
                        exc.field if exc.field in form.fields else None, str(exc.message)
                    )
                else:
                    return redirect("applications:case", pk=app.pk)
        status = 400
    return render(request, "applications/case_new.html", {"form": form}, status=status)


def _roles(user: Any) -> frozenset[str]:
    from qamqor.accounts.permissions import grants_of

    return grants_of(user).roles


def _case_context(request: HttpRequest, app: Application, **extra: Any) -> dict[str, Any]:
    may_manage = can(request.user, "applications.manage_case", app)
    moves = TRANSITIONS[Status(app.status)]
    context = {
        "app": app,
        "deadlines": _deadlines(app),
        "transitions": selectors.transitions_of(app),
        "complaints": selectors.complaints_of(app),
        "may_manage": may_manage,
        "moves": {str(m) for m in moves},
        "assign_form": _assign_form(app)
        if may_manage and Status.ASSESSMENT_ASSIGNED in moves
        else None,
        "refusal_form": IntendRefusalForm()
        if may_manage and Status.REFUSAL_INTENDED in moves
        else None,
        "hearing_form": HearingNoticeForm()
        if may_manage and Status.HEARING_NOTIFIED in moves
        else None,
        "complaint_form": ComplaintForm()
        if can(request.user, "applications.handle_complaint", app)
        else None,
        "outcome_form": ComplaintOutcomeForm(),
        "may_handle_result": can(request.user, "applications.handle_result", app),
    }
    context.update(extra)
    return context


def _assign_form(app: Application, data: Any = None) -> AssignForm:
    form = AssignForm(data)
    workers = selectors.social_workers_of(app.district_id)
    field: Any = form.fields["social_worker"]
    field.choices = [(u.pk, u.get_full_name()) for u in workers]
    return form


@login_required
@require_GET
def case(request: HttpRequest, pk: int) -> HttpResponse:
    app = selectors.get_case_for(request.user, pk, perm="applications.open_case_page")
    selectors.log_file_read(request.user, app, request.path)  # R-X-5, R-SVC-16
    return render(request, "applications/case.html", _case_context(request, app))


ACTIONS = (
    "assign",
    "intend-refusal",
    "hearing-notice",
    "notify-choice",
    "complaint",
    "complaint-outcome",
    "result-collected",
    "result-request",
    "result-resent",
)


# The permission each act on a case needs (the services check it again).
ACTION_PERMS = {
    "assign": "applications.manage_case",
    "intend-refusal": "applications.manage_case",
    "hearing-notice": "applications.manage_case",
    "notify-choice": "applications.manage_case",
    "complaint": "applications.handle_complaint",
    "complaint-outcome": "applications.handle_complaint",
    "result-collected": "applications.handle_result",
    "result-request": "applications.handle_result",
    "result-resent": "applications.handle_result",
}


@login_required
@require_POST
def case_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One POST per act; a refusal by a service (an illegal move, a late notice…) is shown on the
    case page with what was typed, and nothing changes."""
    app = selectors.get_case_for(request.user, pk)
    if action not in ACTION_PERMS:
        raise Http404
    # R-X-5: who may see the case is not who may act on it. Refused before any form is read, so
    # a reader (the recipient, the ministry, the social worker) never gets the staff page back.
    _require(request, ACTION_PERMS[action], app)
    user: User = request.user  # type: ignore[assignment]
    forms_back: dict[str, Any] = {}
    form: Any
    try:
        if action == "assign":
            form = _assign_form(app, request.POST)
            forms_back["assign_form"] = form
            if form.is_valid():
                worker = selectors.social_worker_of(
                    app.district_id, form.cleaned_data["social_worker"]
                )
                cases.assign_assessment(app, worker, actor=user)
                return _done(request, app)
        elif action == "intend-refusal":
            form = IntendRefusalForm(request.POST)
            forms_back["refusal_form"] = form
            if form.is_valid():
                cases.intend_refusal(app, actor=user, **form.cleaned_data)
                return _done(request, app)
        elif action == "hearing-notice":
            form = HearingNoticeForm(request.POST)
            forms_back["hearing_form"] = form
            if form.is_valid():
                cases.send_hearing_notice(app, actor=user, **form.cleaned_data)
                return _done(request, app)
        elif action == "notify-choice":
            cases.notify_to_choose(app, actor=user)
            return _done(request, app)
        elif action == "complaint":
            form = ComplaintForm(request.POST)
            forms_back["complaint_form"] = form
            if form.is_valid():
                complaints.register_complaint(app, actor=user, **form.cleaned_data)
                return _done(request, app)
        elif action == "complaint-outcome":
            form = ComplaintOutcomeForm(request.POST)
            if form.is_valid():
                complaint = (
                    selectors.complaints_of(app).filter(pk=form.cleaned_data["complaint"]).first()
                )
                if complaint is None:
                    raise Http404
                complaints.record_complaint_outcome(
                    complaint,
                    actor=user,
                    state=form.cleaned_data["state"],
                    comment=form.cleaned_data["comment"],
                )
                return _done(request, app)
            messages.error(request, _("Choose the outcome and write its grounds."))
        elif action == "result-collected":
            results.record_collected(app, actor=user)
            return _done(request, app)
        elif action == "result-request":
            results.request_result_again(app, actor=user)
            return _done(request, app)
        elif action == "result-resent":
            results.record_result_resent(app, actor=user)
            return _done(request, app)
        else:
            raise Http404
    except DomainError as exc:
        if exc.status_code == 403:
            raise PermissionDenied from exc
        messages.error(request, str(exc.message))
    app = selectors.get_case_for(request.user, pk)
    return render(
        request, "applications/case.html", _case_context(request, app, **forms_back), status=400
    )


def _done(request: HttpRequest, app: Application) -> HttpResponse:
    messages.success(request, _("Done. The case is updated."))
    return redirect("applications:case", pk=app.pk)


@login_required
@require_http_methods(["GET", "POST"])
def decide(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    """R-SVC-8, R-SVC-10, R-SVC-11: the officer signs the decision (approval, or a refusal after
    the hearing with its ground); it becomes the result in the recipient's cabinet."""
    app = selectors.get_case_for(request.user, pk, perm="applications.manage_case")
    user: User = request.user  # type: ignore[assignment]
    if decision not in ("approve", "refuse"):
        raise Http404
    ground = app.refusal_ground if decision == "refuse" else None
    reasons = app.refusal_reasons if decision == "refuse" else ""
    act = decision_act(
        app, "approved" if decision == "approve" else "refused", ground=ground, reasons=reasons
    )
    content = signing.canonical_bytes(act)
    form = SignatureForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if request.POST.get("method") == "dev" and dev_signer_enabled():
            form = SignatureForm()
            cms: bytes | str | None = signing.dev_signature(user, content, kind="sign")
        else:
            cms = form.cleaned_data["signature"] if form.is_valid() else None
        if cms is not None:
            try:
                if decision == "approve":
                    cases.approve(app, actor=user, cms=cms)
                else:
                    cases.refuse(app, actor=user, cms=cms, ground=ground or 0, reasons=reasons)
            except DomainError as exc:
                form.refuse(str(exc.message))
            else:
                return _done(request, app)
        status = 400
    title = _("Approve the application") if decision == "approve" else _("Refuse the application")
    context = {
        "app": app,
        "form": form,
        "title": title,
        "dev_signer": dev_signer_enabled(),
        "esign_config": _script_config(request, mode="sign", data=content),
        **signing.about_to_sign_context(act, title, labels=ACT_LABELS),
    }
    return render(request, "applications/decide.html", context, status=status)


# --- The social worker (R-SVC-7) ----------------------------------------------------------------


@login_required
@require_GET
def assessments(request: HttpRequest) -> HttpResponse:
    _require(request, "applications.work_assessments")
    return render(
        request,
        "applications/assessments.html",
        {"cases": selectors.assessments_for(request.user)[:200], "today": timezone.localdate()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def assessment(request: HttpRequest, pk: int) -> HttpResponse:
    app = selectors.get_case_for(request.user, pk, perm="applications.conclude")
    selectors.log_file_read(request.user, app, request.path)  # R-X-5, R-SVC-16
    form = ConclusionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                cases.record_conclusion(app, actor=request.user, **form.cleaned_data)  # type: ignore[arg-type]
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
            else:
                messages.success(request, _("The conclusion is recorded."))
                return redirect("applications:assessments")
        status = 400
    return render(
        request,
        "applications/assessment.html",
        {
            "app": app,
            "form": form,
            "deadlines": _deadlines(app),
            "transitions": selectors.transitions_of(app),
            "may_conclude": app.status == Status.ASSESSMENT_ASSIGNED,
        },
        status=status,
    )


# --- Monitoring (R-SVC-12) ----------------------------------------------------------------------


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    _require(request, "applications.view_dashboard")
    data = selectors.cached_dashboard(request.user)
    # Issue 9: the figures are the same for a minute for everyone with this scope and language,
    # so is their rendering: kept beside them (same key, same lifetime), never personal.
    key = f"{data['cache_key']}:html"
    content = cache.get(key)
    if not isinstance(content, SafeString):
        stages = [(s, s.label, data["by_stage"].get(s.value, 0)) for s in Status if s in OPEN]
        content = render_to_string(
            "applications/_dashboard_content.html", {**data, "stages": stages}, request
        )
        cache.set(key, content, selectors.DASHBOARD_CACHE_SECONDS)
    return render(request, "applications/dashboard.html", {"content": content})
