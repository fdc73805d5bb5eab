from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "qamqor.core"
    label = "core"
    verbose_name = _("Core reference data and audit")

    def ready(self) -> None:
        from qamqor.core import (
            checks,  # noqa: F401 (registers the system checks)
            pagecache,
        )
        from qamqor.core.search import connect_signals

        connect_signals()
        pagecache.connect_signals()  # issue 9: cached content of public pages
