from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from qamqor.accounts.models import LegalRepresentative, RoleAssignment, User


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    fk_name = "user"
    extra = 0
    fields = ("role", "district", "organization", "granted_by", "created_at", "revoked_at")
    readonly_fields = ("granted_by", "created_at")
    can_delete = False  # roles are revoked, never deleted


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, BaseUserAdmin):
    ordering = ("surname", "given_name")
    list_display = ("iin", "surname", "given_name", "phone", "email", "is_active", "is_staff")
    list_filter = ("is_active", "is_staff", "is_superuser", "role_assignments__role")
    search_fields = ("iin", "surname", "given_name", "phone", "email")
    inlines = [RoleAssignmentInline]
    fieldsets = (
        (None, {"fields": ("iin", "password")}),
        (_("Person"), {"fields": ("surname", "given_name", "patronymic", "language")}),
        (_("Contacts"), {"fields": ("phone", "email")}),
        (_("Access"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("iin", "surname", "given_name", "patronymic")}),
    )
    filter_horizontal = ()

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # R-X-5: nothing is hard-deleted; deactivate instead


@admin.register(LegalRepresentative)
class LegalRepresentativeAdmin(SimpleHistoryAdmin):
    """Read-only: representations are registered and ended through the portal's services
    (accounts/representation.py), which check the rules and record the events."""

    list_display = (
        "representative",
        "represented",
        "kind",
        "valid_from",
        "valid_until",
        "ended_at",
    )
    list_filter = ("kind",)
    search_fields = ("representative__iin", "represented__iin", "basis")
    raw_id_fields = ("representative", "represented", "registered_by")

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # R-X-5: ended, never deleted
