"""The media server's callbacks (nginx-rtmp's on_publish, on_publish_done and on_record_done; any
server that can call a URL when a stream starts, stops and is recorded will do).

The host's encoder sends the show's stream key, `<stream name>?key=<ingest key>` (Show.stream_key):
the media server names its HLS files after the public stream name and passes the arguments on, so
the ingest key never appears in a URL a viewer sees. Each callback URL carries LIVE_MEDIA_SECRET as
`?secret=`; without it, or with another, the callback is refused. A 2xx lets a stream in, anything
else makes the media server drop it.
"""

import hmac
import logging
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, HttpResponseNotFound
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from live.clips import ClipError, duration_of
from live.errors import LiveError
from live.models import Show, ShowStatus
from live.services.replays import show_recording_attach
from live.services.shows import show_start

logger = logging.getLogger(__name__)


def _trusted(request: HttpRequest) -> bool:
    secret = settings.LIVE_MEDIA_SECRET
    given = request.GET.get("secret", "")
    return bool(secret) and hmac.compare_digest(given.encode(), secret.encode())


def _show(request: HttpRequest) -> Show | None:
    """The show whose stream this is: its public name and its secret key must both match."""
    name, key = request.POST.get("name", ""), request.POST.get("key", "")
    show = Show.objects.filter(stream_name=name).first() if name and "\x00" not in name else None
    if show is None or not hmac.compare_digest(key.encode(), show.ingest_key.encode()):
        return None
    return show


@csrf_exempt
@require_POST
def publish(request: HttpRequest) -> HttpResponse:
    """A stream starts. Let it in when it is a show's that is scheduled (it goes live: shoppers who
    asked are told) or live (the host's encoder reconnected). Either way the show's current stream
    begins now (Show.streaming_since), and its recording with it."""
    if not _trusted(request):
        return HttpResponseForbidden()
    show = _show(request)
    if show is None:
        return HttpResponseNotFound()
    with transaction.atomic():
        show = Show.objects.select_for_update().get(pk=show.pk)
        if show.status == ShowStatus.SCHEDULED:
            try:
                show_start(show_id=show.pk, by=show.host)
            except LiveError:
                return HttpResponseForbidden()
        elif show.status != ShowStatus.LIVE:
            return HttpResponseForbidden()  # over, or called off
        Show.objects.filter(pk=show.pk).update(streaming_since=timezone.now())
    return HttpResponse(status=204)


@csrf_exempt
@require_POST
def publish_done(request: HttpRequest) -> HttpResponse:
    """The stream stopped. The show goes on until its host ends it (an encoder may reconnect: its
    next stream is recorded on its own)."""
    if not _trusted(request):
        return HttpResponseForbidden()
    return HttpResponse(status=204 if _show(request) is not None else 404)


@csrf_exempt
@require_POST
def record_done(request: HttpRequest) -> HttpResponse:
    """The media server finished a recording of a stream (`path`, on a disk this process reads): keep
    it as one of the show's recordings, from when that stream began.

    That is when the show's current stream began (`streaming_since`, set by `publish`), unless the
    encoder reconnected before this callback came: then `streaming_since` is the new stream's, later
    than this file's start, which is at the latest its length before now. The earlier of the two is
    the one that belongs to this file."""
    if not _trusted(request):
        return HttpResponseForbidden()
    show = _show(request)
    path = Path(request.POST.get("path", ""))
    if show is None:
        return HttpResponseNotFound()
    if not path.is_file():
        logger.warning("The recording of show %s is not where the media server said: %s", show.pk, path)
        return HttpResponseNotFound()
    try:
        seconds = duration_of(path)
    except ClipError:
        logger.warning("The recording %s of show %s cannot be read", path, show.pk, exc_info=True)
        return HttpResponse(status=204)  # nothing the media server could do better by retrying
    now = timezone.now()
    started = now - timedelta(seconds=seconds)
    if show.streaming_since is not None:
        started = min(show.streaming_since, started)
    show_recording_attach(show_id=show.pk, source=path, started_at=started, duration=seconds)
    return HttpResponse(status=204)
