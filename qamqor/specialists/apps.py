from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

REGISTRY_CACHE = "specialists.registry"


class SpecialistsConfig(AppConfig):
    name = "qamqor.specialists"
    label = "specialists"
    verbose_name = _("Registry of specialists")

    def ready(self) -> None:
        from qamqor.core import pagecache

        # Issue 9: the public registry's content is cached (qamqor.core.pagecache) until a
        # specialist, a profession or a region (the search form's choices) changes.
        pagecache.watch(
            REGISTRY_CACHE, ["specialists.specialist", "specialists.profession", "core.region"]
        )
