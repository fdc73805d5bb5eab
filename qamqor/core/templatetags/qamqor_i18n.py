"""Template helpers for the portal's languages (R-X-4)."""

from __future__ import annotations

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def language_choices() -> list[tuple[str, str]]:
    """``(code, name)`` for each language of settings.LANGUAGES, each named in itself.

    Django's ``get_available_languages`` translates the names into the page language (on a Kazakh
    page "English" becomes "Ағылшын"); a language switch must show "English" to whoever reads
    English, whatever language the page is in.
    """
    return [(code, str(name)) for code, name in settings.LANGUAGES]
