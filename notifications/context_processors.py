"""Whether a page can hear live updates: only a signed-in page served over ASGI (daphne, runserver
with daphne) has the websocket endpoint behind it. A page served over WSGI (gunicorn in the browse
benchmark, the test server) does not try to open one; its bell polls."""

from django.core.handlers.asgi import ASGIRequest
from django.http import HttpRequest


def live_updates(request: HttpRequest) -> dict[str, bool]:
    return {"live_updates": isinstance(request, ASGIRequest) and request.user.is_authenticated}
