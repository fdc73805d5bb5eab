"""Users ("пайдаланушы") keyed by IIN, and their role assignments with scopes."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qamqor.accounts.roles import ROLE_SCOPE, Role, Scope
from qamqor.accounts.session_hash import session_auth_hash
from qamqor.core.fields import IINField, PhoneField
from qamqor.core.history import AuditedManager, AuditedModel


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get_queryset(self) -> models.QuerySet[User]:
        return AuditedManager.get_queryset(self)  # type: ignore[arg-type]

    def create_user(self, iin: str, password: str | None = None, **extra: Any) -> User:
        user = self.model(iin=iin, **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()  # citizens log in with the e-signature or a one-time code
        user.save(using=self._db)
        return user

    def create_superuser(self, iin: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(iin, password, **extra)


class User(AbstractBaseUser, PermissionsMixin, AuditedModel):
    """A person who uses the portal. The IIN is the identity (it is what the e-signature
    certificate carries); phone and e-mail are optional contacts and one-time-code channels."""

    class Language(models.TextChoices):
        KK = "kk", "Қазақша"
        RU = "ru", "Русский"
        EN = "en", "English"

    iin = IINField(_("IIN"), unique=True)
    surname = models.CharField(_("surname"), max_length=100)
    given_name = models.CharField(_("name"), max_length=100)
    patronymic = models.CharField(_("patronymic"), max_length=100, blank=True)
    phone = PhoneField(_("mobile phone"), blank=True, null=True, unique=True)
    email = models.EmailField(_("e-mail"), blank=True, null=True, unique=True)
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.KK
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("back-office access"),
        default=False,
        help_text=_("May open the administration site."),
    )
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # The one-time-code login lets a person type an IIN nobody has proven (R-SPC-1). Such an account
    # cannot be staff, and the first e-signature login of that IIN proves it and drops the contacts
    # the typist registered (accounts.signin), so nobody keeps access to someone else's IIN.
    registered_by_code = models.BooleanField(
        _("registered with a one-time code"),
        default=False,
        help_text=_("The IIN was typed, not proven by an electronic signature."),
    )
    # Part of the session hash: rotating it ends every session of the user ("log out everywhere").
    session_salt = models.CharField(_("session salt"), max_length=32, blank=True, editable=False)

    objects = UserManager()  # type: ignore[misc,assignment]

    USERNAME_FIELD = "iin"
    REQUIRED_FIELDS = ["surname", "given_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["surname", "given_name"]

    def __str__(self) -> str:
        return self.get_full_name() or self.iin

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        # "Log out everywhere": the session hash includes session_salt (services.end_all_sessions).
        return session_auth_hash(self, secret=secret)

    def get_full_name(self) -> str:
        return " ".join(p for p in (self.surname, self.given_name, self.patronymic) if p)

    def get_short_name(self) -> str:
        return self.given_name or self.iin

    def active_roles(self) -> models.QuerySet[RoleAssignment]:
        return self.role_assignments.filter(revoked_at__isnull=True)


class RoleAssignment(AuditedModel):
    """A role held by a user, with its scope (a district, an organization). Revoked, never
    deleted."""

    user = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="role_assignments", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    district = models.ForeignKey(
        "core.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organization"),
    )
    # Scope.SUPPLIER (cabinet app, R-POR-1): the supplier the grant acts for; nullable so that
    # the migration keeps older supplier grants (they see no supplier's data until linked).
    supplier = models.ForeignKey(
        "cabinet.Supplier",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("supplier"),
    )
    granted_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("granted by"),
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.CheckConstraint(
                name="role_scope_matches",
                condition=(
                    Q(
                        role__in=[r for r, s in ROLE_SCOPE.items() if s == Scope.DISTRICT],
                        district__isnull=False,
                        organization__isnull=True,
                        supplier__isnull=True,
                    )
                    | Q(
                        role__in=[r for r, s in ROLE_SCOPE.items() if s == Scope.ORGANIZATION],
                        organization__isnull=False,
                        district__isnull=True,
                        supplier__isnull=True,
                    )
                    | Q(
                        role__in=[r for r, s in ROLE_SCOPE.items() if s == Scope.NONE],
                        organization__isnull=True,
                        district__isnull=True,
                        supplier__isnull=True,
                    )
                    | Q(
                        role__in=[r for r, s in ROLE_SCOPE.items() if s == Scope.SUPPLIER],
                        organization__isnull=True,
                        district__isnull=True,
                    )
                ),
            ),
        ]

    def __str__(self) -> str:
        scope = self.district or self.organization or self.supplier
        label = self.get_role_display()
        return f"{self.user}: {label}" + (f" ({scope})" if scope else "")


# --- Identity (issue 3): e-signature login, signed acts, one-time codes, representation -------


class LoginNonce(models.Model):
    """A one-time challenge the browser has signed to log in by e-signature (R-X-2).

    Expiring, single use and bound to the browser session that asked for it: ``session_binding``
    is a SHA-256 of a random value kept in that session, so a nonce stolen from one browser is
    refused in another. Consumed with a compare-and-set update (``used_at`` from NULL)."""

    value = models.CharField(_("challenge"), max_length=128, unique=True)
    session_binding = models.CharField(_("session binding"), max_length=64)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("login challenge")
        verbose_name_plural = _("login challenges")

    def __str__(self) -> str:
        return self.value[:12]


class SignedDocument(models.Model):
    """A legally significant act with the e-signature over it (R-X-2).

    ``content`` is the canonical bytes of the act exactly as signed (UTF-8 JSON with sorted keys
    or the text shown to the signer); ``cms`` is the CMS/PKCS#7 as received. Written once, after
    the signature passed verification; later features point to it from their acts. ``signed_by``
    is the person whose key signed; ``on_behalf_of`` the person the act is for when a legal
    representative signs (R-QUE-5, R-SVC-1: every act records both persons)."""

    kind = models.CharField(_("kind of act"), max_length=80, db_index=True)
    content = models.BinaryField(_("signed content"))
    content_sha256 = models.CharField(_("SHA-256 of the content"), max_length=64, db_index=True)
    cms = models.BinaryField(_("CMS signature"))
    signer_iin = models.CharField(_("signer IIN"), max_length=12, db_index=True)
    signer_bin = models.CharField(_("signer BIN"), max_length=12, blank=True)
    signer_name = models.CharField(_("signer name"), max_length=300, blank=True)
    organization_name = models.CharField(
        _("organization in the certificate"), max_length=300, blank=True
    )
    certificate = models.BinaryField(_("signer certificate (DER)"))
    certificate_serial = models.CharField(_("certificate serial number"), max_length=80)
    certificate_issuer = models.CharField(_("certificate issuer"), max_length=500)
    signature_algorithm = models.CharField(_("signature algorithm"), max_length=80)
    signed_at = models.DateTimeField(_("signing time"))
    verified_at = models.DateTimeField(_("verified at"), default=timezone.now)
    verifier = models.CharField(_("verifier"), max_length=80)
    signed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="signed_documents", verbose_name=_("signed by")
    )
    on_behalf_of = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signed_on_behalf",
        verbose_name=_("on behalf of"),
    )

    class Meta:
        verbose_name = _("signed document")
        verbose_name_plural = _("signed documents")
        ordering = ["-verified_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} · {self.signer_iin} · {self.signed_at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            from qamqor.core.history import HistoryBypassError

            raise HistoryBypassError("esign.immutable", _("A signed document cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        from qamqor.core.history import HistoryBypassError

        raise HistoryBypassError("esign.immutable", _("A signed document cannot be deleted."))


class OneTimeCode(models.Model):
    """A 6-digit code sent by SMS or e-mail to log in (R-SPC-1). Only its hash is stored."""

    class Channel(models.TextChoices):
        SMS = "sms", _("SMS")
        EMAIL = "email", _("e-mail")

    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    destination = models.CharField(_("phone or e-mail"), max_length=254, db_index=True)
    code_hash = models.CharField(_("code hash"), max_length=128)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    attempts = models.PositiveSmallIntegerField(_("wrong attempts"), default=0)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    session_binding = models.CharField(_("session binding"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("one-time code")
        verbose_name_plural = _("one-time codes")
        indexes = [models.Index(fields=["destination", "created_at"])]

    def __str__(self) -> str:
        return f"{self.channel}:{self.destination}"


class LegalRepresentative(AuditedModel):
    """A legal representative ("заңды өкіл": guardian, trustee, parent) registered for a recipient;
    may act and sign for them (R-QUE-5, R-SVC-1). Ended, never deleted."""

    class Kind(models.TextChoices):
        PARENT = "parent", _("parent")
        GUARDIAN = "guardian", _("guardian")
        TRUSTEE = "trustee", _("trustee")
        OTHER = "other", _("other legal representative")

    representative = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        related_name="represents",
        verbose_name=_("representative"),
    )
    represented = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        related_name="representatives",
        verbose_name=_("represented person"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    basis = models.CharField(
        _("basis"),
        max_length=300,
        help_text=_(
            "The document that makes this person the representative, with its number and date."
        ),
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    registered_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        verbose_name = _("legal representative")
        verbose_name_plural = _("legal representatives")
        constraints = [
            models.CheckConstraint(
                name="representative_not_self",
                condition=~Q(representative=models.F("represented")),
            ),
            models.UniqueConstraint(
                fields=["representative", "represented"],
                condition=Q(ended_at__isnull=True),
                name="one_open_representation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.representative} → {self.represented} ({self.get_kind_display()})"
