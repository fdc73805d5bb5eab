from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "qamqor.applications"
    label = "applications"
    verbose_name = _("State service: documents for special social services")
