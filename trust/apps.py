from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrustConfig(AppConfig):
    name = "trust"
    verbose_name = _("Seller trust")

    def ready(self) -> None:
        import trust.notices  # noqa: F401 - registers the notification kinds it sends
