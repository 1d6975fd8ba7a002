"""Live pages and the media server's callbacks (no language prefix: the media server calls them)."""

from django.urls import path

from live import media_hooks

app_name = "live"

urlpatterns = [
    path("media/publish/", media_hooks.publish, name="media-publish"),
    path("media/publish-done/", media_hooks.publish_done, name="media-publish-done"),
    path("media/record-done/", media_hooks.record_done, name="media-record-done"),
]
