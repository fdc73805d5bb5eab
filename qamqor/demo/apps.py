from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data for `make run`. Sits on top of every app; nothing imports it."""

    name = "qamqor.demo"
    label = "demo"
    verbose_name = "Demo data"
