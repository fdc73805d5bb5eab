from django.contrib import admin

from qamqor.core.admin import ReadOnlyAdmin
from qamqor.privacy.models import ConsentRecord


@admin.register(ConsentRecord)
class ConsentRecordAdmin(ReadOnlyAdmin):
    list_display = ("recorded_at", "subject_iin", "kind", "action", "text_version", "channel")
    list_filter = ("kind", "action", "channel")
    search_fields = ("subject_iin", "context")
    date_hierarchy = "recorded_at"
