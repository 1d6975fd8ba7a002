"""Production refuses the development defaults.

The repository ships working values for every secret (`settings.DEVELOPMENT_SECRETS`), so that
`make run` needs no set-up. They are public: anyone can sign a carrier or payment webhook, or forge a
session cookie, with them. With DEBUG off they must all be replaced, and every process refuses to
start until they are:

- `manage.py check --deploy` reports the error below;
- the WSGI and ASGI applications raise when they are loaded: gunicorn, uvicorn, and runserver (which
  loads the WSGI application before it serves);
- the Celery worker and beat exit before they connect to the broker (`marketplace/celery.py`).

Each offending variable gets one line that names it.
"""

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register
from django.core.exceptions import ImproperlyConfigured

CHECK_ID = "marketplace.E001"
HINT = "Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"


def unsafe_defaults() -> list[str]:
    """One line per secret that still holds its shipped development value (or nothing), when DEBUG is
    off; no line with DEBUG on, where the development values are what they are for."""
    if settings.DEBUG:
        return []
    problems = []
    for name, development_value in settings.DEVELOPMENT_SECRETS.items():
        try:
            value = getattr(settings, name, "")
        except ImproperlyConfigured:  # Django's own word on an empty SECRET_KEY
            value = ""
        if not value:
            problems.append(f"{name} is empty; with DEBUG off, set {name} to a secret of your own.")
        elif value == development_value:
            problems.append(
                f"{name} is the development value shipped with Reloop; with DEBUG off, "
                f"set {name} to a secret of your own."
            )
    return problems


@register(Tags.security, deploy=True)
def check_unsafe_defaults(app_configs: Sequence[Any] | None = None, **kwargs: Any) -> list[CheckMessage]:
    """A deployment check (`check --deploy`): the tools that serve nothing (makemigrations,
    makemessages, check) keep working on a fresh clone, where DEBUG is off by default."""
    return [Error(problem, hint=HINT, id=CHECK_ID) for problem in unsafe_defaults()]


def refuse_unsafe_defaults() -> None:
    """Raise ImproperlyConfigured, naming each variable, if a development secret is still in use."""
    problems = unsafe_defaults()
    if problems:
        raise ImproperlyConfigured("Refusing to start: " + "\nRefusing to start: ".join(problems))
