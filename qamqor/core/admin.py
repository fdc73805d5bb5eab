"""Admin of core's reference data and audit tables.

* Calendar days (R-X-1): listed by year; every save goes through ``services.set_calendar_day``,
  so the row becomes ``source=admin`` (a library re-sync never touches it), the change is an
  event, and the calendar cache is invalidated.
* Legal terms (R-X-6): a new edition is a new row (the "new edition" link copies the current
  one); the count, unit, rule, key and date of an existing edition cannot be changed.
* Regions, districts, domain events and personal-file accesses: read-only.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.dateformat import format as date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from qamqor.core import services
from qamqor.core.calendar import ESTIMATE_MARK
from qamqor.core.errors import DomainError
from qamqor.core.models import (
    CalendarDay,
    District,
    DomainEvent,
    LegalTerm,
    PersonalFileAccess,
    Region,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Lists and details only: no add, change or delete."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# --- Calendar (R-X-1) ----------------------------------------------------------------------------


class YearFilter(admin.SimpleListFilter):
    title = _("year")
    parameter_name = "year"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        years = CalendarDay.objects.dates("date", "year", order="DESC")
        return [(str(d.year), str(d.year)) for d in years]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(date__year=int(value))
        return queryset


class EstimateFilter(admin.SimpleListFilter):
    title = _("date to confirm")
    parameter_name = "estimate"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("yes", _("estimated by the library"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "yes":
            return queryset.filter(
                source=CalendarDay.Source.LIBRARY, note__startswith=ESTIMATE_MARK
            )
        return queryset


class CalendarDayForm(forms.ModelForm):
    class Meta:
        model = CalendarDay
        fields = ("date", "is_working_day", "kind", "name_kk", "name_ru", "name_en", "note")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "is_working_day" in data and data.get("kind"):
            try:
                services.check_calendar_day(
                    is_working_day=bool(data["is_working_day"]),
                    kind=data["kind"],
                    name_kk=data.get("name_kk", ""),
                    name_ru=data.get("name_ru", ""),
                )
            except DomainError as exc:
                self.add_error(exc.field, str(exc.message))
        return data


@admin.register(CalendarDay)
class CalendarDayAdmin(SimpleHistoryAdmin):
    form = CalendarDayForm
    list_display = (
        "date",
        "weekday",
        "name_kk",
        "name_ru",
        "kind",
        "is_working_day",
        "source",
        "is_estimate",
    )
    list_filter = (YearFilter, "kind", "source", "is_working_day", EstimateFilter)
    date_hierarchy = "date"
    search_fields = ("name_kk", "name_ru", "name_en", "note")
    ordering = ("date",)
    list_per_page = 100
    readonly_fields = ("source", "created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("date", "is_working_day", "kind")}),
        (_("Names"), {"fields": ("name_kk", "name_ru", "name_en")}),
        (_("Note"), {"fields": ("note", "source", "created_at", "updated_at")}),
    )

    @admin.display(description=_("weekday"))
    def weekday(self, obj: CalendarDay) -> str:
        return date_format(obj.date, "D")

    @admin.display(description=_("estimated"), boolean=True)
    def is_estimate(self, obj: CalendarDay) -> bool:
        return obj.source == CalendarDay.Source.LIBRARY and obj.note.startswith(ESTIMATE_MARK)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        # A row is one date: to change another date, open (or add) that date.
        if obj is not None:
            return ("date", *self.readonly_fields)
        return tuple(self.readonly_fields)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # history: set the day back instead

    def save_model(self, request: HttpRequest, obj: CalendarDay, form: Any, change: bool) -> None:
        saved = services.set_calendar_day(
            request.user,
            obj.date,
            is_working_day=obj.is_working_day,
            kind=obj.kind,
            name_kk=obj.name_kk,
            name_ru=obj.name_ru,
            name_en=obj.name_en,
            note=obj.note,
        )
        obj.pk = saved.pk
        obj.source = saved.source
        obj._state.adding = False


# --- Legal terms (R-X-6) -------------------------------------------------------------------------


@admin.register(LegalTerm)
class LegalTermAdmin(SimpleHistoryAdmin):
    list_display = (
        "rule_id",
        "key",
        "count",
        "unit",
        "effective_from",
        "paragraph",
        "new_edition",
    )
    list_filter = ("rule_id", "unit")
    search_fields = ("rule_id", "key", "legal_act", "paragraph", "description_en")
    ordering = ("rule_id", "key", "-effective_from")
    fieldsets = (
        (None, {"fields": ("rule_id", "key", "count", "unit", "effective_from")}),
        (_("Source"), {"fields": ("legal_act", "paragraph")}),
        (_("Descriptions"), {"fields": ("description_kk", "description_ru", "description_en")}),
    )
    # An edition in force may already govern cases: its values stay; a change of the law is a
    # new row with a later effective date.
    frozen_fields = ("rule_id", "key", "count", "unit", "effective_from")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return self.frozen_fields if obj is not None else ()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("new edition"))
    def new_edition(self, obj: LegalTerm) -> str:
        query = urlencode(
            {
                "rule_id": obj.rule_id,
                "key": obj.key,
                "count": obj.count,
                "unit": obj.unit,
                "legal_act": obj.legal_act,
                "paragraph": obj.paragraph,
            }
        )
        url = reverse("admin:core_legalterm_add") + "?" + query
        return format_html('<a href="{}">{}</a>', url, _("add a new edition"))


# --- Territories (read-only) ---------------------------------------------------------------------


@admin.register(Region)
class RegionAdmin(ReadOnlyAdmin):
    list_display = ("kato", "name_kk", "name_ru", "name_en", "kind")
    list_filter = ("kind",)
    search_fields = ("kato", "name_kk", "name_ru", "name_en")


@admin.register(District)
class DistrictAdmin(ReadOnlyAdmin):
    list_display = (
        "kato",
        "slug",
        "name_kk",
        "name_ru",
        "kind",
        "region",
        "valid_from",
        "valid_to",
    )
    list_filter = ("kind", "region")
    list_select_related = ("region",)
    search_fields = ("kato", "slug", "name_kk", "name_ru", "name_en")


# --- Audit (read-only, R-X-5) --------------------------------------------------------------------


@admin.register(DomainEvent)
class DomainEventAdmin(ReadOnlyAdmin):
    list_display = ("occurred_at", "verb", "subject_type", "subject_id", "actor")
    list_filter = ("verb", "subject_type")
    list_select_related = ("actor",)
    search_fields = ("verb", "subject_type", "subject_id", "comment")
    date_hierarchy = "occurred_at"


@admin.register(PersonalFileAccess)
class PersonalFileAccessAdmin(ReadOnlyAdmin):
    list_display = ("accessed_at", "actor", "subject_iin", "subject_type", "subject_id", "purpose")
    list_filter = ("subject_type",)
    list_select_related = ("actor",)
    search_fields = ("subject_iin", "subject_id", "purpose", "path")
    date_hierarchy = "accessed_at"
