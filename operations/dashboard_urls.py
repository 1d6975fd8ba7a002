from django.urls import path

from operations.views import dashboard

app_name = "dashboard"

urlpatterns = [
    path("", dashboard.home, name="home"),
]
