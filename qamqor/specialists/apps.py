from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SpecialistsConfig(AppConfig):
    name = "qamqor.specialists"
    label = "specialists"
    verbose_name = _("Registry of specialists")
