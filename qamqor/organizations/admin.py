from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from qamqor.organizations import services
from qamqor.organizations.models import (
    IntegrationClient,
    LicenceEvent,
    Organization,
    OrganizationService,
)


class OrganizationServiceInline(admin.TabularInline):
    model = OrganizationService
    extra = 0
    can_delete = False


class OrganizationAdminForm(forms.ModelForm):
    """The back office applies the same rules as the services (R-ORG-1: entry by hand)."""

    class Meta:
        model = Organization
        fields = "__all__"  # noqa: DJ007 - the registry administrator edits every field

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        candidate = Organization(
            **{k: v for k, v in cleaned.items() if k in {f.name for f in Organization._meta.fields}}
        )
        for field, message in services.organization_errors(candidate).items():
            if field in self.fields and field not in self.errors:
                self.add_error(field, message)
        return cleaned


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    form = OrganizationAdminForm
    list_display = ("name_kk", "bin", "district", "status", "publication_consent", "licence_number")
    list_filter = ("status", "publication_consent", "district__region")
    search_fields = ("name_kk", "name_ru", "bin", "licence_number")
    list_select_related = ("district",)
    inlines = [OrganizationServiceInline]

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # R-ORG-3: an entry is excluded, never deleted


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(LicenceEvent)
class LicenceEventAdmin(ReadOnlyAdmin):
    list_display = ("event_id", "kind", "licence_number", "bin", "occurred_at", "source")
    list_filter = ("kind", "source")
    search_fields = ("event_id", "licence_number", "bin")
    list_select_related = ("organization",)


@admin.register(IntegrationClient)
class IntegrationClientAdmin(ReadOnlyAdmin):
    """Clients are created with `manage.py create_integration_client` (the token is shown once)."""

    list_display = ("name", "is_active", "scopes", "created_at")
    exclude = ("token_hash",)
