from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CabinetConfig(AppConfig):
    name = "qamqor.cabinet"
    verbose_name = _("Personal cabinet, IPR measures and suppliers")

    def ready(self) -> None:
        from qamqor.cabinet import rules  # noqa: F401  (registers permissions)
