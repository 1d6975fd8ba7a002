"""The interest feed's pages: /for-you/, and /feed/... for the rest."""

from django.urls import path

from feed import views

app_name = "feed"

urlpatterns = [
    path("for-you/", views.for_you, name="for_you"),
    path("feed/seen/", views.seen, name="seen"),
    path("feed/history/", views.history, name="history"),
    path("feed/history/clear/", views.history_forget, name="history_clear"),
    path("feed/personalisation/", views.personalisation, name="personalisation"),
]
