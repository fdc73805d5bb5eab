"""``{% idempotency_field %}``: a fresh one-use token per rendered form, so a double-clicked
submission creates one record (``qamqor.core.idempotency``)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from qamqor.core.idempotency import FIELD, new_token

register = template.Library()


@register.simple_tag
def idempotency_field() -> SafeString:
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, new_token())
