"""Acting on behalf of another person: legal representatives ("заңды өкіл") (R-QUE-5, R-SVC-1).

A recipient who is a minor or incapacitated applies, postpones an arrival and signs through their
legal representative (a parent, guardian or trustee). Staff register the representation; the
representative then chooses "act for X" and every act they do records both persons
(``act_parties``). The session keeps only the represented person's id, and every read checks the
representation again, so ending it stops acting for that person at once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qamqor.accounts.models import LegalRepresentative, User
from qamqor.accounts.permissions import can, require
from qamqor.accounts.roles import Role
from qamqor.accounts.services import grant_role, revoke_role
from qamqor.core import hotsql
from qamqor.core.audit import record_event
from qamqor.core.errors import DomainError, NotFoundError, PermissionDeniedError
from qamqor.core.history import acting_as

ACTING_FOR_SESSION_KEY = "qamqor_acting_for"


@dataclass(frozen=True)
class PersonData:
    """A person as staff type them in: found by IIN, created with these names if absent."""

    iin: str
    surname: str = ""
    given_name: str = ""
    patronymic: str = ""


# --- Selectors --------------------------------------------------------------------------------


def _valid_on(on: dt.date) -> Q:
    return (
        Q(ended_at__isnull=True)
        & Q(valid_from__lte=on)
        & (Q(valid_until__isnull=True) | Q(valid_until__gte=on))
    )


def representations_of(user: Any, *, on: dt.date | None = None) -> QuerySet[LegalRepresentative]:
    """The open representations held by ``user`` that are valid on ``on`` (today in Almaty)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return LegalRepresentative.objects.none()
    day = on or timezone.localdate()
    return (
        LegalRepresentative.objects.filter(_valid_on(day), representative=user)
        .select_related("represented")
        .order_by("represented__surname", "represented__given_name", "pk")
    )


def represented_by(user: Any, *, on: dt.date | None = None) -> QuerySet[User]:
    """The persons ``user`` may act for on ``on`` (today, Asia/Almaty): open and valid
    representations only."""
    if user is None or not getattr(user, "is_authenticated", False):
        return User.objects.none()
    return _represented(user.pk, on or timezone.localdate())


def _represented(user_id: Any, day: Any) -> QuerySet[User]:
    return User.objects.filter(
        pk__in=LegalRepresentative.objects.filter(_valid_on(day), representative_id=user_id).values(
            "represented_id"
        ),
        is_active=True,
    ).order_by("surname", "given_name", "pk")


def represented_names(user: Any, *, on: dt.date | None = None) -> list[tuple[int, str]]:
    """``represented_by(user)`` as (key, full name) pairs, in the same order: the cabinet's
    "whose cabinet to show" choice on every view, read in SQL (issue 9, ``core.hotsql``)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []

    def build() -> QuerySet[Any]:
        return _represented(hotsql.arg("user"), hotsql.arg("day", dt.date)).values_list(
            "pk", "surname", "given_name", "patronymic"
        )

    rows = hotsql.fetch_query(
        "accounts.represented_names", build, {"user": user.pk, "day": on or timezone.localdate()}
    )
    return [(pk, " ".join(p for p in names if p)) for pk, *names in rows]


def can_act_for(actor: Any, person: Any) -> bool:
    """May ``actor`` act for ``person`` today? Everyone acts for themselves; anyone else only
    through an open representation valid today (R-QUE-5, R-SVC-1)."""
    if actor is None or person is None or not getattr(actor, "is_authenticated", False):
        return False
    if not actor.is_active:
        return False
    if actor.pk == person.pk:
        return True
    return represented_by(actor).filter(pk=person.pk).exists()


# --- Commands ---------------------------------------------------------------------------------


def _register(
    *,
    actor: Any,
    representative: User,
    represented: User,
    kind: str,
    basis: str,
    valid_from: dt.date,
    valid_until: dt.date | None,
) -> LegalRepresentative:
    if representative.pk == represented.pk:
        raise DomainError(
            "representation.self",
            _("A person cannot be their own legal representative."),
            field="represented_iin",
        )
    if kind not in LegalRepresentative.Kind.values:
        raise DomainError(
            "representation.kind_unknown", _("Choose the kind of representation."), field="kind"
        )
    if not basis.strip():
        raise DomainError(
            "representation.basis_required",
            _("Name the document that makes this person the representative."),
            field="basis",
        )
    if valid_until is not None and valid_until < valid_from:
        raise DomainError(
            "representation.dates_reversed",
            _("The end date cannot be earlier than the start date."),
            field="valid_until",
        )
    # Lock the represented person's row so two concurrent registrations of the same pair wait
    # for each other; the partial unique constraint is the last line of defence.
    User.objects.select_for_update().filter(pk=represented.pk).first()
    if LegalRepresentative.objects.filter(
        representative=representative, represented=represented, ended_at__isnull=True
    ).exists():
        raise DomainError(
            "representation.already_open",
            _("This person is already registered as the representative of this person."),
            field="representative_iin",
        )
    try:
        with transaction.atomic(), acting_as(actor):
            representation = LegalRepresentative.objects.create(
                representative=representative,
                represented=represented,
                kind=kind,
                basis=basis.strip(),
                valid_from=valid_from,
                valid_until=valid_until,
                registered_by=actor,
            )
    except IntegrityError as exc:
        raise DomainError(
            "representation.already_open",
            _("This person is already registered as the representative of this person."),
            field="representative_iin",
        ) from exc
    # Roles are granted by the system on the registration's behalf: the staff member who
    # registers a representative need not be a role administrator.
    if not representative.active_roles().filter(role=Role.LEGAL_REPRESENTATIVE).exists():
        grant_role(None, representative, Role.LEGAL_REPRESENTATIVE)
    with acting_as(actor):
        record_event(
            "accounts.representative_registered",
            representation,
            actor=actor,
            data={
                "representative": representative.pk,
                "represented": represented.pk,
                "kind": kind,
                "valid_from": valid_from.isoformat(),
                "valid_until": valid_until.isoformat() if valid_until else None,
            },
        )
    return representation


@transaction.atomic(durable=True)
def register_representative(
    *,
    actor: Any,
    representative: User,
    represented: User,
    kind: str,
    basis: str,
    valid_from: dt.date,
    valid_until: dt.date | None = None,
) -> LegalRepresentative:
    """Register ``representative`` as the legal representative of ``represented`` (R-QUE-5,
    R-SVC-1) and give them the role legal_representative.

    Allowed to intake operators, local executive body officers, registry administrators and
    platform administrators. Refuses self-representation (``representation.self``), a second
    open representation of the same pair (``representation.already_open``) and an end date
    before the start date (``representation.dates_reversed``)."""
    require(actor, "accounts.register_representative")
    return _register(
        actor=actor,
        representative=representative,
        represented=represented,
        kind=kind,
        basis=basis,
        valid_from=valid_from,
        valid_until=valid_until,
    )


def _person(actor: Any, data: PersonData, field: str) -> User:
    user = User.objects.filter(iin=data.iin).first()
    if user is not None:
        return user
    if not (data.surname.strip() and data.given_name.strip()):
        raise DomainError(
            "representation.person_unknown",
            _("No one with this IIN is registered yet: type the surname and the name."),
            field=field,
        )
    with acting_as(actor):
        return User.objects.create_user(
            data.iin,
            surname=data.surname.strip(),
            given_name=data.given_name.strip(),
            patronymic=data.patronymic.strip(),
        )


@transaction.atomic(durable=True)
def register_representative_by_iin(
    *,
    actor: Any,
    representative: PersonData,
    represented: PersonData,
    kind: str,
    basis: str,
    valid_from: dt.date,
    valid_until: dt.date | None = None,
) -> LegalRepresentative:
    """The staff form's command: find both persons by IIN (creating those not registered yet,
    with the names typed) and register the representation, all or nothing. Same permission
    and refusals as ``register_representative``."""
    require(actor, "accounts.register_representative")
    if representative.iin == represented.iin:
        raise DomainError(
            "representation.self",
            _("A person cannot be their own legal representative."),
            field="represented_iin",
        )
    return _register(
        actor=actor,
        representative=_person(actor, representative, "representative_iin"),
        represented=_person(actor, represented, "represented_iin"),
        kind=kind,
        basis=basis,
        valid_from=valid_from,
        valid_until=valid_until,
    )


@transaction.atomic(durable=True)
def end_representation(
    *, actor: Any, representation: LegalRepresentative, reason: str
) -> LegalRepresentative:
    """End a representation (the guardianship ended, the child came of age…). It stays in the
    history; the representative stops acting for the person at once. When it was their last
    open representation, the role legal_representative is revoked.

    Same permission as registering. Refuses an empty reason (``representation.reason_required``)
    and a representation already ended (``representation.already_ended``)."""
    require(actor, "accounts.register_representative")
    if not reason.strip():
        raise DomainError(
            "representation.reason_required",
            _("Say why the representation ends."),
            field="reason",
        )
    locked = LegalRepresentative.objects.select_for_update().get(pk=representation.pk)
    if locked.ended_at is not None:
        raise DomainError(
            "representation.already_ended", _("This representation has already ended.")
        )
    with acting_as(actor):
        locked.ended_at = timezone.now()
        locked.save(update_fields=["ended_at", "updated_at"])
        record_event(
            "accounts.representation_ended",
            locked,
            actor=actor,
            comment=reason.strip(),
            data={"representative": locked.representative_id, "represented": locked.represented_id},
        )
    still_represents = LegalRepresentative.objects.filter(
        representative_id=locked.representative_id, ended_at__isnull=True
    ).exists()
    if not still_represents:
        for assignment in locked.representative.active_roles().filter(
            role=Role.LEGAL_REPRESENTATIVE
        ):
            revoke_role(None, assignment, reason="representation ended")
    representation.ended_at = locked.ended_at
    return locked


# --- "Acting as" in the session ---------------------------------------------------------------


def acting_for(request: HttpRequest) -> User | None:
    """The person the logged-in user is acting for now, or None (acting for themselves).

    Checked again on every read: an ended or expired representation stops at once and the
    choice is forgotten."""
    session = getattr(request, "session", None)
    if session is None:
        return None
    pk = session.get(ACTING_FOR_SESSION_KEY)
    if pk is None:
        return None
    user = getattr(request, "user", None)
    person = represented_by(user).filter(pk=pk).first()
    if person is None:
        session.pop(ACTING_FOR_SESSION_KEY, None)
    return person


def start_acting_for(request: HttpRequest, person: User) -> None:
    """Act for ``person`` from now on in this session (R-QUE-5, R-SVC-1). Choosing oneself
    means acting for oneself. Refuses a person the user does not represent today
    (``representation.not_representative``)."""
    user = request.user
    if user.pk == person.pk:
        stop_acting(request)
        return
    if not can_act_for(user, person):
        raise PermissionDeniedError(
            "representation.not_representative",
            _("You are not registered as the legal representative of this person."),
        )
    request.session[ACTING_FOR_SESSION_KEY] = person.pk
    record_event("accounts.acting_started", person, actor=user, data={"representative": user.pk})


def stop_acting(request: HttpRequest) -> None:
    """Act for oneself again."""
    pk = request.session.pop(ACTING_FOR_SESSION_KEY, None)
    if pk is not None:
        record_event(
            "accounts.acting_stopped",
            ("accounts.user", pk),
            actor=request.user,
            data={"representative": request.user.pk},
        )


def act_parties(request: HttpRequest) -> tuple[User, User | None]:
    """(signer, on_behalf_of) of an act done in this request: the logged-in user, and the person
    they act for or None. Every act (SignedDocument.signed_by / on_behalf_of, applications,
    postponements) records both (R-QUE-5, R-SVC-1)."""
    user = request.user
    if not user.is_authenticated:
        raise PermissionDeniedError("permission.login_required", _("Log in first."))
    return user, acting_for(request)  # type: ignore[return-value]


def get_represented_for(user: Any, pk: Any) -> User:
    """Chokepoint: the person ``user`` represents today with this id, or 404 (not a leak of who
    else exists)."""
    try:
        person = represented_by(user).filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        person = None
    if person is None:
        raise NotFoundError("representation.not_found", _("This person is not in your list."))
    return person


def representations_involving(actor: Any, iin: str) -> QuerySet[LegalRepresentative]:
    """Staff lookup: the open representations where the person with ``iin`` is the
    representative or the represented person. Empty for anyone who may not register them."""
    if not iin or not can(actor, "accounts.register_representative"):
        return LegalRepresentative.objects.none()
    return (
        LegalRepresentative.objects.filter(
            Q(representative__iin=iin) | Q(represented__iin=iin), ended_at__isnull=True
        )
        .select_related("representative", "represented")
        .order_by("valid_from", "pk")
    )


def get_representation_for(actor: Any, pk: int) -> LegalRepresentative:
    """Chokepoint: an open representation staff may end, or 404."""
    found = None
    if can(actor, "accounts.register_representative"):
        found = LegalRepresentative.objects.filter(pk=pk, ended_at__isnull=True).first()
    if found is None:
        raise NotFoundError("representation.not_found", _("This representation was not found."))
    return found
