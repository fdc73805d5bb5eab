"""Locale formats Django does not ship (settings.FORMAT_MODULE_PATH points here).

Django has no formats for Kazakh (``kk``): without ours, dates render as ``Наурыз 22, 2026``.
Russian and English use Django's own formats.
"""
