from django.apps import AppConfig


class MarketplaceConfig(AppConfig):
    name = "marketplace"
    verbose_name = "Reloop"

    def ready(self) -> None:
        from marketplace import checks  # noqa: F401 (registers the system checks)
