"""Live pages, and the media server's callbacks (it calls them with no language prefix)."""

from django.urls import path

from live import media_hooks, views

app_name = "live"

urlpatterns = [
    path("", views.show_list, name="shows"),
    path("hosting/", views.hosting, name="hosting"),
    path("<int:pk>/", views.show_room, name="room"),
    path("<int:pk>/console/", views.console, name="console"),
    path("<int:pk>/console/<slug:part>/", views.console_part, name="console_part"),
    path("<int:pk>/console/do/<slug:action>/", views.console_act, name="console_act"),
    path("<int:pk>/card/", views.room_card, name="room_card"),
    path("<int:pk>/grab/", views.grab, name="grab"),
    path("<int:pk>/wait-list/", views.waitlist, name="waitlist"),
    path("<int:pk>/chat/", views.chat_post, name="chat"),
    path("<int:pk>/rsvp/", views.rsvp, name="rsvp"),
    path("media/publish/", media_hooks.publish, name="media-publish"),
    path("media/publish-done/", media_hooks.publish_done, name="media-publish-done"),
    path("media/record-done/", media_hooks.record_done, name="media-record-done"),
]
