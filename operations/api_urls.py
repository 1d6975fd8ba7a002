"""/api/v1/: the service providers' figures, for Reloop's own staff."""

from django.urls import path

from operations import api

app_name = "operations_api"

urlpatterns = [
    path("staff/providers/", api.ProviderFiguresView.as_view(), name="staff-providers"),
]
