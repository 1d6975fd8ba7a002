"""The interest feed's pages."""

from django.urls import path

from feed import views

app_name = "feed"

urlpatterns = [
    path("seen/", views.seen, name="seen"),
    path("history/", views.history, name="history"),
    path("history/clear/", views.history_forget, name="history_clear"),
    path("personalisation/", views.personalisation, name="personalisation"),
]
