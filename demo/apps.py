from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo data and demo media: `seed_demo` (with `seed_demo_orders` and `seed_demo_loop`, which it
    runs) and `seed_bench` for the benchmarks. The top layer: it may use every app's services, and no
    app imports it."""

    name = "demo"
    verbose_name = _("Demo data")
