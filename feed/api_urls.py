"""/api/v1/: the for-you feed, its switch and the shopper's history; creators' videos, links and
statement, and a seller's own commission rate for creators on one item."""

from django.urls import path

from feed import api, api_creators

app_name = "feed_api"

urlpatterns = [
    path("feed/", api.FeedView.as_view(), name="feed"),
    path("feed/settings/", api.FeedSettingsView.as_view(), name="feed-settings"),
    path("feed/history/", api.HistoryView.as_view(), name="feed-history"),
    path("creator/", api_creators.CreatorProfileView.as_view(), name="creator"),
    path("creator/videos/", api_creators.CreatorVideoListView.as_view(), name="creator-videos"),
    path("creator/links/", api_creators.CreatorLinkListView.as_view(), name="creator-links"),
    path("creator/statement/", api_creators.CreatorStatementView.as_view(), name="creator-statement"),
    path(
        "my/listings/<int:listing_id>/creator-rate/",
        api_creators.ListingCreatorRateView.as_view(),
        name="my-listing-creator-rate",
    ),
]
