"""Acting on behalf of a represented person (R-QUE-5, R-SVC-1).

* ``representation/``: whom the logged-in person represents; "act for X" / "act for myself".
* ``representation/register/``: staff register a legal representative by the two IINs, and find
  the open representations of a person (``?iin=``) to end one.
* ``representation/<pk>/end/``: staff end a representation, with the reason (POST).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from qamqor.accounts import representation as repr_service
from qamqor.accounts.forms_representation import (
    EndRepresentationForm,
    FindRepresentationsForm,
    RegisterRepresentativeForm,
)
from qamqor.accounts.permissions import can
from qamqor.accounts.ratelimits import REPRESENTATION, limited
from qamqor.core.errors import DomainError, NotFoundError


@login_required
@require_http_methods(["GET", "POST"])
@limited("accounts.representation", REPRESENTATION, method="POST")
def representation(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        choice = request.POST.get("act_for", "")
        if choice == "myself":
            repr_service.stop_acting(request)
            messages.success(request, _("You are acting for yourself."))
        else:
            try:
                person = repr_service.get_represented_for(request.user, choice)
                repr_service.start_acting_for(request, person)
            except NotFoundError as exc:
                raise Http404(str(exc.message)) from exc
            messages.success(
                request,
                _("You are acting for %(name)s.") % {"name": person.get_full_name()},
            )
        return redirect("accounts:representation")
    return render(
        request,
        "accounts/representation.html",
        {
            "representations": repr_service.representations_of(request.user),
            "current": repr_service.acting_for(request),
            "may_register": can(request.user, "accounts.register_representative"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "accounts.register_representative"):
        raise PermissionDenied
    form = RegisterRepresentativeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            registered = repr_service.register_representative_by_iin(
                actor=request.user,
                representative=repr_service.PersonData(**form.person_fields("representative")),
                represented=repr_service.PersonData(**form.person_fields("represented")),
                kind=data["kind"],
                basis=data["basis"],
                valid_from=data["valid_from"],
                valid_until=data["valid_until"],
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        else:
            messages.success(
                request,
                _("%(representative)s is registered as the representative of %(represented)s.")
                % {
                    "representative": registered.representative.get_full_name(),
                    "represented": registered.represented.get_full_name(),
                },
            )
            return redirect("accounts:representation-register")
    find = FindRepresentationsForm(request.GET or None)
    found = (
        repr_service.representations_involving(request.user, find.cleaned_data["iin"])
        if find.is_valid()
        else None
    )
    return render(
        request,
        "accounts/representation_register.html",
        {"form": form, "find": find, "found": found, "end_form": EndRepresentationForm()},
    )


@require_POST
@login_required
def end(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        representation = repr_service.get_representation_for(request.user, pk)
    except NotFoundError as exc:
        raise Http404(str(exc.message)) from exc
    form = EndRepresentationForm(request.POST)
    if form.is_valid():
        try:
            repr_service.end_representation(
                actor=request.user,
                representation=representation,
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("The representation has ended."))
    else:
        messages.error(request, _("Say why the representation ends."))
    return redirect("accounts:representation-register")


urlpatterns: list[URLPattern] = [
    path("representation/", representation, name="representation"),
    path("representation/register/", register, name="representation-register"),
    path("representation/<int:pk>/end/", end, name="representation-end"),
]
