"""Administration of the cabinet's reference data (catalogue, suppliers) and a read-only view of
IPRs and orders. Orders change only through the services (R-POR-5)."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from qamqor.cabinet.models import (
    CatalogueItem,
    Ipr,
    Measure,
    Offer,
    Order,
    RecommendedService,
    SocialPackageItem,
    Supplier,
)
from qamqor.organizations.admin import ReadOnlyAdmin


@admin.register(CatalogueItem)
class CatalogueItemAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name_kk", "name_ru", "kind", "guaranteed_sum", "is_active")
    search_fields = ("code", "name_kk", "name_ru")


@admin.register(Supplier)
class SupplierAdmin(SimpleHistoryAdmin):
    list_display = ("bin", "name_ru", "is_active")
    search_fields = ("bin", "name_kk", "name_ru")


@admin.register(Offer)
class OfferAdmin(SimpleHistoryAdmin):
    list_display = ("supplier", "item", "price", "delivery_days", "withdrawn_at")
    list_select_related = ("supplier", "item")


class ReadOnly(ReadOnlyAdmin, SimpleHistoryAdmin):  # type: ignore[misc]
    """Read-only, with the change history (rows change only through the services)."""


@admin.register(Ipr)
class IprAdmin(ReadOnly):
    list_display = ("number", "person", "issued_on", "district")
    search_fields = ("number", "person__iin")


@admin.register(Measure)
class MeasureAdmin(ReadOnly):
    list_display = ("ipr", "item", "quantity", "status", "choice_until")
    list_filter = ("status",)


@admin.register(Order)
class OrderAdmin(ReadOnly):
    list_display = ("pk", "person", "supplier", "status", "price", "guaranteed_sum")
    list_filter = ("status",)


admin.site.register(SocialPackageItem, SimpleHistoryAdmin)
admin.site.register(RecommendedService, SimpleHistoryAdmin)
