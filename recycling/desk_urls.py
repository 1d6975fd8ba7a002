from django.urls import path

from recycling.views import desk

app_name = "desk"

urlpatterns = [
    path("", desk.index, name="index"),
]
