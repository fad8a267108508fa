from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo content for trying Kring out. Sits on top: it may use every feature's services."""

    name = "kring.demo"
    label = "demo"
