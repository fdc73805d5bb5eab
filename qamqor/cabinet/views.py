"""Pages of the personal cabinet (R-POR-2), the choice and signed order (R-POR-4, R-POR-5), the
catalogue, the supplier back office and the officer's reimbursement queue. Thin: parse, call one
selector or service, render; a refusal is a form error or a 404, never a 500."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qamqor.accounts import representation as repr_service
from qamqor.accounts import signing
from qamqor.accounts.forms import SignatureForm
from qamqor.accounts.permissions import can
from qamqor.accounts.views.esign import _script_config, dev_signer_enabled
from qamqor.cabinet import selectors
from qamqor.cabinet.forms import CatalogueSearchForm, DecisionForm, OfferForm
from qamqor.cabinet.sections import rendered_sections
from qamqor.cabinet.services import orders, suppliers
from qamqor.core.audit import record_file_access
from qamqor.core.errors import DomainError, NotFoundError

ACT_LABELS = {
    "act": gettext_lazy("Document"),
    "person_iin": gettext_lazy("IIN"),
    "person": gettext_lazy("Person"),
    "ipr_number": gettext_lazy("IPR number"),
    "measure_id": gettext_lazy("Measure"),
    "item_code": gettext_lazy("Code"),
    "item": gettext_lazy("Rehabilitation means or service"),
    "quantity": gettext_lazy("Quantity"),
    "supplier_bin": gettext_lazy("Supplier's BIN"),
    "supplier": gettext_lazy("Supplier"),
    "offer_id": gettext_lazy("Offer"),
    "price": gettext_lazy("Price, tenge"),
    "guaranteed_sum": gettext_lazy("Guaranteed sum, tenge"),
    "person_pays": gettext_lazy("You pay, tenge"),
}


def _not_found(exc: NotFoundError) -> Http404:
    return Http404(str(exc.message))


# --- The person's cabinet -----------------------------------------------------------------------


@login_required
@require_GET
def cabinet(request: HttpRequest) -> HttpResponse:
    """R-POR-2: everything Qamqor knows about the person and what to do next."""
    person = selectors.cabinet_person(request)
    sections = rendered_sections(request, person)
    return render(
        request,
        "cabinet/cabinet.html",
        {
            "person": person,
            "sections": sections,
            "actions": [a for s in sections for a in s["actions"]],
            "represented": repr_service.represented_names(request.user),
        },
    )


@login_required
@require_POST
def switch(request: HttpRequest) -> HttpResponse:
    """R-POR-1: a legal representative switches between the persons they represent."""
    choice = request.POST.get("act_for", "myself")
    if choice == "myself":
        repr_service.stop_acting(request)
    else:
        try:
            repr_service.start_acting_for(
                request, repr_service.get_represented_for(request.user, choice)
            )
        except NotFoundError as exc:
            raise _not_found(exc) from exc
    return redirect("cabinet:cabinet")


@login_required
@require_GET
def measure(request: HttpRequest, pk: int) -> HttpResponse:
    """R-POR-4: one measure, its window and the offers to choose from."""
    person = selectors.cabinet_person(request)
    try:
        found = selectors.get_measure_for(request.user, person, pk)
    except NotFoundError as exc:
        raise _not_found(exc) from exc
    return render(
        request,
        "cabinet/measure.html",
        {
            "measure": found,
            "days_left": orders.days_left(found),
            "is_open": orders.is_choice_open(found),
            "offers": list(selectors.offers_for_measure(found)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def order_new(request: HttpRequest, pk: int) -> HttpResponse:
    """R-POR-4, R-POR-5: what the person pays and signs, then the signature and the order."""
    signer, on_behalf_of = repr_service.act_parties(request)
    person = on_behalf_of or signer
    try:
        found = selectors.get_measure_for(signer, person, pk)
        offer = selectors.get_offer_for_measure(
            found, request.POST.get("offer") or request.GET.get("offer")
        )
    except NotFoundError as exc:
        raise _not_found(exc) from exc
    act = orders.application_act(found, offer, person)
    content = signing.canonical_bytes(act)
    form = SignatureForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        cms: bytes | str | None = None
        if request.POST.get("method") == "dev" and dev_signer_enabled():
            form = SignatureForm()
            cms = signing.dev_signature(signer, content, kind="sign")
        elif form.is_valid():
            cms = form.cleaned_data["signature"]
        if cms is not None:
            try:
                order = orders.place_order(
                    signer=signer,
                    on_behalf_of=on_behalf_of,
                    measure=found,
                    offer=offer,
                    cms=cms,
                    idempotency_key=request.POST.get("idempotency_key") or None,
                )
            except DomainError as error:
                form.add_error(None, str(error.message))
            else:
                messages.success(request, _("The order is placed and your application signed."))
                return redirect("cabinet:order", pk=order.pk)
        status = 400
    return render(
        request,
        "cabinet/order_new.html",
        {
            "measure": found,
            "offer": offer,
            "sums": orders.price_of(found, offer),
            "is_open": orders.is_choice_open(found),
            "form": form,
            "dev_signer": dev_signer_enabled(),
            "idempotency_key": request.POST.get("idempotency_key") or uuid.uuid4().hex,
            "esign_config": _script_config(request, mode="sign", data=content),
            **signing.about_to_sign_context(
                act, _("Application for reimbursement of the guaranteed sum"), labels=ACT_LABELS
            ),
        },
        status=status,
    )


@login_required
@require_GET
def order(request: HttpRequest, pk: int) -> HttpResponse:
    """R-POR-5: one order with every step, as the person sees it."""
    person = selectors.cabinet_person(request)
    try:
        found = selectors.get_order_for_person(request.user, person, pk)
    except NotFoundError as exc:
        raise _not_found(exc) from exc
    return render(
        request,
        "cabinet/order.html",
        {"order": found, "steps": found.transitions.select_related("actor"), "side": "person"},
    )


@login_required
@require_POST
def order_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """R-POR-5: the person confirms the delivery."""
    person = selectors.cabinet_person(request)
    try:
        found = selectors.get_order_for_person(request.user, person, pk)
        orders.confirm_delivery(actor=request.user, order=found)  # type: ignore[arg-type]
    except NotFoundError as exc:
        raise _not_found(exc) from exc
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Thank you: the delivery is confirmed."))
    return redirect("cabinet:order", pk=pk)


@login_required
@require_GET
def catalogue(request: HttpRequest) -> HttpResponse:
    """Issue item 3: offers filtered by the person's IPR measures and region (or all)."""
    person = selectors.cabinet_person(request)
    form = CatalogueSearchForm(request.GET)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    offers = selectors.catalogue_search(
        person, data.get("q", ""), only_mine=not data.get("everything")
    ).prefetch_related("regions")[:100]
    return render(request, "cabinet/catalogue.html", {"form": form, "offers": offers})


# --- The supplier's back office -----------------------------------------------------------------


def _require_supplier(request: HttpRequest) -> None:
    if not can(request.user, "cabinet.view_supplier_office"):
        raise PermissionDenied


@login_required
@require_GET
def supplier_office(request: HttpRequest) -> HttpResponse:
    """R-POR-1, R-POR-5: the supplier's offers and the orders addressed to it."""
    _require_supplier(request)
    return render(
        request,
        "cabinet/supplier_office.html",
        {
            "suppliers": list(selectors.suppliers_of(request.user)),
            "offers": list(selectors.offers_of_supplier(request.user)),
            "orders": list(selectors.orders_for_supplier(request.user)[:100]),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def offer_new(request: HttpRequest) -> HttpResponse:
    """R-POR-1: publish an offer (the supplier's own staff only)."""
    _require_supplier(request)
    own = list(selectors.suppliers_of(request.user))
    form = OfferForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and own:
        data = form.cleaned_data
        try:
            suppliers.publish_offer(
                actor=request.user,  # type: ignore[arg-type]
                supplier=own[0],
                item=data["item"],
                regions=list(data["regions"]),
                price=data["price"],
                delivery_days=data["delivery_days"],
                delivery_terms=data["delivery_terms"],
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error.message))
        else:
            messages.success(request, _("The offer is published."))
            return redirect("cabinet:supplier_office")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "cabinet/offer_form.html", {"form": form, "linked": bool(own)}, status=status
    )


@login_required
@require_POST
def offer_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    _require_supplier(request)
    try:
        suppliers.withdraw_offer(
            actor=request.user,  # type: ignore[arg-type]
            offer=selectors.get_offer_for_supplier(request.user, pk),
        )
    except NotFoundError as exc:
        raise _not_found(exc) from exc
    messages.success(request, _("The offer is withdrawn."))
    return redirect("cabinet:supplier_office")


@login_required
@require_GET
def supplier_order(request: HttpRequest, pk: int) -> HttpResponse:
    _require_supplier(request)
    try:
        found = selectors.get_order_for_supplier(request.user, pk)
    except NotFoundError as exc:
        raise _not_found(exc) from exc
    # R-X-5: the supplier reads the person's order (name, measure, address of delivery).
    record_file_access(
        request.user, found.person.iin, found, purpose="cabinet.supplier_order", path=request.path
    )
    return render(
        request,
        "cabinet/order.html",
        {"order": found, "steps": found.transitions.select_related("actor"), "side": "supplier"},
    )


SUPPLIER_STEPS = {"accept": orders.accept_order, "hand-over": orders.hand_over}


@login_required
@require_POST
def supplier_order_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """R-POR-5: the supplier accepts the order or reports the delivery."""
    _require_supplier(request)
    if step not in SUPPLIER_STEPS:
        raise Http404
    try:
        found = selectors.get_order_for_supplier(request.user, pk)
        SUPPLIER_STEPS[step](actor=request.user, order=found)  # type: ignore[operator,arg-type]
    except NotFoundError as exc:
        raise _not_found(exc) from exc
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Done: the person is notified."))
    return redirect("cabinet:supplier_order", pk=pk)


# --- The local executive body -------------------------------------------------------------------


def _require_officer(request: HttpRequest) -> None:
    if not can(request.user, "cabinet.view_reimbursements"):
        raise PermissionDenied


@login_required
@require_GET
def reimbursements(request: HttpRequest) -> HttpResponse:
    """R-POR-5: the reimbursement requests of the officer's district, oldest first."""
    _require_officer(request)
    return render(
        request,
        "cabinet/reimbursements.html",
        {"orders": list(selectors.reimbursement_queue(request.user)[:200])},
    )


@login_required
@require_http_methods(["GET", "POST"])
def reimbursement(request: HttpRequest, pk: int) -> HttpResponse:
    """R-POR-5: approve (pay) or reject with a reason."""
    _require_officer(request)
    try:
        found = selectors.get_order_for_officer(request.user, pk)
    except NotFoundError as exc:
        raise _not_found(exc) from exc
    if request.method == "GET":  # R-X-5: the decision itself is in the order's steps
        record_file_access(
            request.user,
            found.person.iin,
            found,
            purpose="cabinet.reimbursement",
            path=request.path,
        )
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data: dict[str, Any] = form.cleaned_data
        try:
            if data["decision"] == "approve":
                orders.approve_reimbursement(actor=request.user, order=found)  # type: ignore[arg-type]
            else:
                orders.reject_reimbursement(
                    actor=request.user,  # type: ignore[arg-type]
                    order=found,
                    reason=data["reason"],
                )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error.message))
        else:
            messages.success(request, _("The decision is recorded and the person notified."))
            return redirect(reverse("cabinet:reimbursements"))
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "cabinet/order.html",
        {
            "order": found,
            "steps": found.transitions.select_related("actor"),
            "side": "officer",
            "form": form,
        },
        status=status,
    )
