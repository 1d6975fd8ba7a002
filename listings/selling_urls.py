from django.urls import path

from listings.views import selling, videos

app_name = "selling"

urlpatterns = [
    path("listings/", selling.listing_list, name="listing_list"),
    path("listings/new/", selling.listing_create, name="listing_create"),
    path("listings/<int:pk>/edit/", selling.listing_edit, name="listing_edit"),
    path("listings/<int:pk>/photos/", selling.photo_add, name="photo_add"),
    path("listings/<int:pk>/withdraw/", selling.listing_withdraw, name="listing_withdraw"),
    path("photos/<int:pk>/remove/", selling.photo_remove, name="photo_remove"),
    path("listings/<int:pk>/video/", videos.video_page, name="listing_video"),
    path("listings/<int:pk>/video/upload/", videos.video_upload, name="video_upload"),
    path("listings/<int:pk>/video/status/", videos.video_status, name="video_status"),
    path("listings/<int:pk>/video/remove/", videos.video_remove, name="video_remove"),
]
