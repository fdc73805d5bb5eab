from django.contrib import admin

from qamqor.core.admin import ReadOnlyAdmin
from qamqor.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "recipient", "kind", "subject", "sms_state", "email_state"]
    list_filter = ["kind", "sms_state", "email_state"]
    search_fields = ["recipient__iin", "subject"]
    raw_id_fields = ["recipient"]
