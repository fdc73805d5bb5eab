"""Users ("пайдаланушы") keyed by IIN, and their role assignments with scopes."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qamqor.accounts.roles import ROLE_SCOPE, Role, Scope
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

    objects = UserManager()  # type: ignore[misc,assignment]

    USERNAME_FIELD = "iin"
    REQUIRED_FIELDS = ["surname", "given_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["surname", "given_name"]

    def __str__(self) -> str:
        return self.get_full_name() or self.iin

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
                    )
                    | Q(
                        role__in=[r for r, s in ROLE_SCOPE.items() if s == Scope.ORGANIZATION],
                        organization__isnull=False,
                        district__isnull=True,
                    )
                    | Q(
                        role__in=[r for r, s in ROLE_SCOPE.items() if s == Scope.NONE],
                        organization__isnull=True,
                        district__isnull=True,
                    )
                ),
            ),
        ]

    def __str__(self) -> str:
        scope = self.district or self.organization
        label = self.get_role_display()
        return f"{self.user}: {label}" + (f" ({scope})" if scope else "")
