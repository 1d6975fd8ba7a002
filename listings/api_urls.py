"""/api/v1/: the public channel, a seller's own listings, and token sign-in."""

from django.urls import path

from accounts.api import TokenSignInView
from listings.api import channel, searches, selling

app_name = "api"

urlpatterns = [
    path("auth/token/", TokenSignInView.as_view(), name="auth-token"),
    path("categories/", channel.CategoryTreeView.as_view(), name="categories"),
    path("brands/", channel.BrandListView.as_view(), name="brands"),
    path("listings/", channel.ListingListView.as_view(), name="listings"),
    path("listings/<int:listing_id>/", channel.ListingDetailView.as_view(), name="listing"),
    path("my/listings/", selling.OwnListingListView.as_view(), name="my-listings"),
    path("saved-searches/", searches.SavedSearchListView.as_view(), name="saved-searches"),
    path("saved-searches/<int:search_id>/", searches.SavedSearchDetailView.as_view(), name="saved-search"),
    path("my/listings/<int:listing_id>/", selling.OwnListingDetailView.as_view(), name="my-listing"),
    path(
        "my/listings/<int:listing_id>/withdraw/",
        selling.OwnListingWithdrawView.as_view(),
        name="my-listing-withdraw",
    ),
    path(
        "my/listings/<int:listing_id>/photos/",
        selling.OwnListingPhotoListView.as_view(),
        name="my-listing-photos",
    ),
    path(
        "my/listings/<int:listing_id>/video/",
        selling.OwnListingVideoView.as_view(),
        name="my-listing-video",
    ),
    path(
        "my/listings/<int:listing_id>/photos/<int:photo_id>/",
        selling.OwnListingPhotoDetailView.as_view(),
        name="my-listing-photo",
    ),
]
