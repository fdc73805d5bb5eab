from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from qamqor.organizations.models import Organization, OrganizationService


class OrganizationServiceInline(admin.TabularInline):
    model = OrganizationService
    extra = 0
    can_delete = False


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    list_display = ("name_kk", "bin", "district", "phone", "email")
    list_filter = ("district__region",)
    search_fields = ("name_kk", "name_ru", "bin")
    list_select_related = ("district",)
    inlines = [OrganizationServiceInline]

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # R-ORG-3: an entry is excluded, never deleted
