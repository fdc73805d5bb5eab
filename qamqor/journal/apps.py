from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JournalConfig(AppConfig):
    name = "qamqor.journal"
    label = "journal"
    verbose_name = _("Electronic journal and queue")
