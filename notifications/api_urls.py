"""/api/v1/notifications/: a user's notifications and their choices."""

from django.urls import path

from notifications import api

app_name = "notifications_api"

urlpatterns = [
    path("notifications/", api.NotificationListView.as_view(), name="list"),
    path("notifications/unread/", api.UnreadCountView.as_view(), name="unread"),
    path("notifications/read/", api.ReadAllView.as_view(), name="read-all"),
    path("notifications/<int:notification_id>/read/", api.NotificationReadView.as_view(), name="read"),
    path("notifications/preferences/", api.PreferencesView.as_view(), name="preferences"),
]
