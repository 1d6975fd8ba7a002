import os

from celery import Celery
from celery.signals import beat_init, celeryd_init
from django.core.exceptions import ImproperlyConfigured

from marketplace.checks import refuse_unsafe_defaults

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")

app = Celery("reloop")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@celeryd_init.connect
@beat_init.connect
def _refuse_unsafe_defaults(**_kwargs: object) -> None:
    """The worker and beat exit, naming the variable, before they reach the broker when a development
    secret is still in use with DEBUG off (marketplace/checks.py). A signal receiver's exception is
    only logged by Celery; SystemExit is not, so it stops the process."""
    try:
        refuse_unsafe_defaults()
    except ImproperlyConfigured as error:
        raise SystemExit(str(error)) from None
