"""The ASGI application: Django's pages and API over HTTP, and the websockets (Django Channels) that
carry live updates to open pages. Served by daphne (`make stack`, docker-compose) and by runserver,
which daphne's app turns into an ASGI server (`make run`). Like the URLconf, this module wires the
apps in."""

import os

from django.core.asgi import get_asgi_application

from marketplace.checks import refuse_unsafe_defaults

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")
# Under ASGI each request runs its database work in a thread of its own, so a connection kept open for
# reuse is never reused and stays open until the database closes it: Django's advice for ASGI is no
# persistent connections (a pooler such as PgBouncer pools them instead). The Celery worker, which
# does not load this module, keeps DB_CONN_MAX_AGE's default.
os.environ.setdefault("DB_CONN_MAX_AGE", "0")
# Django is set up before anything that imports models.
django_application = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from live.routing import websocket_urlpatterns as live_sockets  # noqa: E402
from notifications.routing import websocket_urlpatterns as notification_sockets  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_application,
        # The session cookie signs the user in; a page from another site may not open one (Origin).
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter([*notification_sockets, *live_sockets]))
        ),
    }
)

# An ASGI server stops here, naming the variable, when a development secret is still in use with
# DEBUG off.
refuse_unsafe_defaults()
