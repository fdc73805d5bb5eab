"""Placeholder: filled by the issue-3 work on this flow."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
