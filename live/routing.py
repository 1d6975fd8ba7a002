"""The websocket routes of live rooms, included by marketplace.asgi."""

from django.urls import path

from live.consumers import LiveRoomConsumer

websocket_urlpatterns = [path("ws/live/<int:show_id>/", LiveRoomConsumer.as_asgi())]
