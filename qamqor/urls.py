from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from qamqor.api.api import api
from qamqor.core import views as core_views

admin.site.site_header = _("Qamqor administration")
admin.site.site_title = _("Qamqor")

urlpatterns = [
    path("", core_views.home, name="home"),
    path("calendar/", core_views.calendar_page, name="calendar"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("qamqor.accounts.urls")),
    path("organizations/", include("qamqor.organizations.urls")),
    path("specialists/", include("qamqor.specialists.urls")),
    path("cabinet/", include("qamqor.cabinet.urls")),
    path("applications/", include("qamqor.applications.urls")),
    path("notifications/", include("qamqor.notifications.urls")),
    path("journal/", include("qamqor.journal.urls")),
    path("privacy/", include("qamqor.privacy.urls")),
    path("bench/floor/<int:pk>", core_views.floor, name="bench-floor"),
    path("health", core_views.health, name="health"),
    path("api/v1/", api.urls),
    path("api/docs", core_views.api_docs_redirect),
    path("admin/", admin.site.urls),
]

# Issue 10 item 7: a lost database answers 503 (API structure or the static page), never a trace.
handler500 = "qamqor.core.views.server_error"
handler400 = "qamqor.core.views.bad_request"  # a session lost with the database: 503 too
