"""WSGI entry point for gunicorn and granian."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qamqor.settings")

application = get_wsgi_application()

# Like SECRET_KEY: the portal never serves personal data without its encryption keys
# (docs/privacy.md). Tooling may load the settings without them; the web server may not.
from qamqor.core.checks import require_field_keys  # noqa: E402

require_field_keys()
