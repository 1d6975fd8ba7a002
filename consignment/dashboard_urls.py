from django.urls import path

from consignment import dashboard_views

app_name = "dashboard"

urlpatterns = [
    path("", dashboard_views.home, name="home"),
]
