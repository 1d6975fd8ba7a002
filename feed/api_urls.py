"""/api/v1/: the for-you feed, its switch and the shopper's history."""

from django.urls import path

from feed import api

app_name = "feed_api"

urlpatterns = [
    path("feed/", api.FeedView.as_view(), name="feed"),
    path("feed/settings/", api.FeedSettingsView.as_view(), name="feed-settings"),
    path("feed/history/", api.HistoryView.as_view(), name="feed-history"),
]
