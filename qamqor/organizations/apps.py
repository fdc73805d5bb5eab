from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

REGISTRY_CACHE = "organizations.registry"


class OrganizationsConfig(AppConfig):
    name = "qamqor.organizations"
    label = "organizations"
    verbose_name = _("Registry of organizations")

    def ready(self) -> None:
        from qamqor.core import pagecache

        # Issue 9: the public registry's content is cached (qamqor.core.pagecache); these are
        # the models it reads: the entries, their services, the vacancies counted from the
        # journal (stays and queue entries) and the reference data of the search form.
        pagecache.watch(
            REGISTRY_CACHE,
            [
                "organizations.organization",
                "organizations.organizationservice",
                "journal.journal",
                "journal.stay",
                "journal.queueentry",
                "core.region",
                "core.district",
            ],
        )
