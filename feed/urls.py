"""The interest feed's pages: /for-you/, and /feed/... for the rest."""

from django.urls import path

from feed import creator_views, views

app_name = "feed"

urlpatterns = [
    path("for-you/", views.for_you, name="for_you"),
    path("feed/seen/", views.seen, name="seen"),
    path("feed/history/", views.history, name="history"),
    path("feed/history/clear/", views.history_forget, name="history_clear"),
    path("feed/personalisation/", views.personalisation, name="personalisation"),
    path("creators/", creator_views.apply, name="creator_apply"),
    path("creators/dashboard/", creator_views.dashboard, name="creator_dashboard"),
    path("creators/videos/new/", creator_views.video_new, name="creator_video_new"),
    path("creators/videos/post/", creator_views.video_post, name="creator_video_post"),
    path("creators/videos/<int:pk>/", creator_views.video_page, name="creator_video"),
    path("creators/videos/<int:pk>/status/", creator_views.video_status, name="creator_video_status"),
    path("go/<str:code>/", creator_views.link, name="creator_link"),
    path("sell/listings/<int:pk>/creator-rate/", creator_views.listing_rate, name="listing_creator_rate"),
    path("staff/creators/", creator_views.staff_desk, name="creator_staff"),
    path("staff/creators/<int:pk>/decide/", creator_views.staff_decide, name="creator_decide"),
    path("staff/creators/rates/<int:pk>/", creator_views.staff_rate, name="creator_rate"),
]
